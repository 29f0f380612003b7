//! A faster plan for the models' linear `Resize` nodes (the decoder's 2× bilinear
//! upsampling).
//!
//! tract's generic Resize copies its input, allocates one tensor per resized axis and
//! walks the last axis one element at a time through its resampling plan: on the
//! selfie models its three nodes took about 40 % of inference. This op does the same
//! arithmetic in one pass over each output plane, with both axes' taps computed once
//! when the model is loaded, and replaces the tract op wherever the node is a linear
//! resize of the last two axes of a 4-D f32 tensor with a static shape.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::nn::resize::{Interpolator, Resize};

use crate::sampling::taps::AxisTaps;

/// Linear resize of the last two axes of an `[N, C, H, W]` f32 tensor, both axes' taps
/// ([`AxisTaps::linear_at`]) at the positions the ONNX node's coordinate rule gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinearResize {
    input_shape: [usize; 4],
    output_shape: [usize; 4],
    rows: AxisTaps,
    cols: AxisTaps,
}

impl Op for LinearResize {
    fn name(&self) -> StaticName {
        "LinearResize".into()
    }

    op_as_typed_op!();
}

impl EvalOp for LinearResize {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = &inputs[0];
        ensure!(
            input.shape() == self.input_shape,
            "LinearResize planned for {:?}, got {:?}",
            self.input_shape,
            input.shape()
        );
        let plain = input.try_as_plain_ram()?;
        let src = plain.as_slice::<f32>()?;
        let [_, _, h_in, w_in] = self.input_shape;
        let [_, _, h_out, w_out] = self.output_shape;
        let mut output = Tensor::zero::<f32>(&self.output_shape)?;
        {
            let mut view = output.try_as_plain_ram_mut()?;
            let dst = view.as_slice_mut::<f32>()?;
            for (plane_in, plane_out) in src
                .chunks_exact(h_in * w_in)
                .zip(dst.chunks_exact_mut(h_out * w_out))
            {
                for (y, row_out) in plane_out.chunks_exact_mut(w_out).enumerate() {
                    let (first_row, wy) = self.rows.taps(y);
                    let row_in = |k: usize| &plane_in[(first_row + k) * w_in..][..w_in];
                    if let (&[w_top, w_bottom], 2) = (wy, self.cols.width()) {
                        // The models' case (2x upsampling): two taps on each axis.
                        let (top, bottom) = (row_in(0), row_in(1));
                        for (x, out) in row_out.iter_mut().enumerate() {
                            let (c, wx) = self.cols.taps(x);
                            let upper = top[c] * wx[0] + top[c + 1] * wx[1];
                            let lower = bottom[c] * wx[0] + bottom[c + 1] * wx[1];
                            *out = upper * w_top + lower * w_bottom;
                        }
                        continue;
                    }
                    row_out.fill(0.0);
                    for (k, &w) in wy.iter().enumerate() {
                        let row = row_in(k);
                        for (x, out) in row_out.iter_mut().enumerate() {
                            let (c, wx) = self.cols.taps(x);
                            let across: f32 = row[c..c + wx.len()]
                                .iter()
                                .zip(wx)
                                .map(|(v, w)| v * w)
                                .sum();
                            *out += across * w;
                        }
                    }
                }
            }
        }
        Ok(tvec!(output.into_tvalue()))
    }
}

impl TypedOp for LinearResize {
    as_op!();

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs[0].datum_type == f32::datum_type(),
            "LinearResize takes f32"
        );
        Ok(tvec!(f32::fact(self.output_shape)))
    }
}

/// The replacement for `node` when it is a tract Resize this op computes identically.
fn replacement(model: &TypedModel, node: &TypedNode) -> TractResult<Option<LinearResize>> {
    let Some(resize) = node.op_as::<Resize>() else {
        return Ok(None);
    };
    if resize.interpolator != Interpolator::Linear {
        return Ok(None);
    }
    let input = model.outlet_fact(node.inputs[0])?;
    let output = model.outlet_fact(OutletId::new(node.id, 0))?;
    let (Some(ishape), Some(oshape)) = (input.shape.as_concrete(), output.shape.as_concrete())
    else {
        return Ok(None);
    };
    let (Ok(input_shape), Ok(output_shape)) = (
        <[usize; 4]>::try_from(ishape),
        <[usize; 4]>::try_from(oshape),
    ) else {
        return Ok(None);
    };
    if input.datum_type != f32::datum_type()
        || input_shape[..2] != output_shape[..2]
        || input_shape.contains(&0)
        || output_shape.contains(&0)
    {
        return Ok(None);
    }
    // The scale the op uses: the constant scales input when there is one, else out / in.
    let scales: Option<Vec<f32>> = match resize
        .optional_scales_input
        .and_then(|ix| node.inputs.get(ix))
    {
        Some(&outlet) => match &model.outlet_fact(outlet)?.konst {
            Some(k) if k.len() == 4 => Some(
                k.cast_to::<f32>()?
                    .try_as_plain_ram()?
                    .as_slice::<f32>()?
                    .to_vec(),
            ),
            _ => return Ok(None),
        },
        None => None,
    };
    let scale = |axis: usize| {
        scales
            .as_ref()
            .map_or(output_shape[axis] as f32 / input_shape[axis] as f32, |s| {
                s[axis]
            })
    };
    let taps = |axis: usize| {
        let (len_in, len_out, s) = (input_shape[axis], output_shape[axis], scale(axis));
        AxisTaps::linear_at(
            len_in,
            (0..len_out).map(|x| resize.coord_transformer.transform(x, s, len_in, len_out) as f64),
        )
    };
    Ok(Some(LinearResize {
        input_shape,
        output_shape,
        rows: taps(2),
        cols: taps(3),
    }))
}

/// Replaces every bilinear Resize of `model` that [`LinearResize`] covers; returns how
/// many it replaced.
pub fn replace_resizes(model: &mut TypedModel) -> TractResult<usize> {
    let mut replaced = 0;
    for id in model.eval_order()? {
        let node = model.node(id);
        if let Some(op) = replacement(model, node)? {
            let patch = TypedModelPatch::replace_single_op(model, node, &node.inputs[..1], op)?;
            patch.apply(model)?;
            replaced += 1;
        }
    }
    Ok(replaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::tract_core::ops::nn::resize::{CoordTransformer, Nearest};

    /// A model of one tract Resize, before and after the replacement, on the same input.
    fn compare(coord: CoordTransformer, input_shape: [usize; 4], scales: [f32; 4]) {
        let mut model = TypedModel::default();
        let source = model.add_source("x", f32::fact(input_shape)).unwrap();
        let scales_const = model.add_const("scales", tensor1(&scales)).unwrap();
        let op = Resize {
            coord_transformer: coord.clone(),
            interpolator: Interpolator::Linear,
            nearest: Nearest::Floor,
            optional_scales_input: Some(1),
            optional_sizes_input: None,
        };
        let out = model
            .wire_node("resize", op, &[source, scales_const])
            .unwrap();
        model.select_output_outlets(&out).unwrap();
        let n: usize = input_shape.iter().product();
        let values: Vec<f32> = (0..n)
            .map(|i| ((i * 7919) % 1000) as f32 / 1000.0)
            .collect();
        let input = Tensor::from_shape(&input_shape, &values).unwrap();
        let reference = model
            .clone()
            .into_runnable()
            .unwrap()
            .run(tvec!(input.clone().into()))
            .unwrap();
        let mut fast = model;
        assert_eq!(replace_resizes(&mut fast).unwrap(), 1);
        let ours = fast
            .into_runnable()
            .unwrap()
            .run(tvec!(input.into()))
            .unwrap();
        let (a, b) = (
            reference[0].try_as_plain_ram().unwrap(),
            ours[0].try_as_plain_ram().unwrap(),
        );
        let (a, b) = (a.as_slice::<f32>().unwrap(), b.as_slice::<f32>().unwrap());
        assert_eq!(a.len(), b.len());
        let worst = a
            .iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0f32, f32::max);
        assert!(
            worst < 1e-5,
            "{coord:?} {input_shape:?} ×{scales:?}: differs by {worst}"
        );
    }

    #[test]
    fn matches_tract_resize_for_the_models_upsampling() {
        compare(
            CoordTransformer::HalfPixel,
            [1, 3, 8, 16],
            [1.0, 1.0, 2.0, 2.0],
        );
        compare(
            CoordTransformer::HalfPixel,
            [1, 2, 9, 5],
            [1.0, 1.0, 2.0, 2.0],
        );
    }

    #[test]
    fn matches_tract_resize_for_other_modes_and_scales() {
        compare(
            CoordTransformer::AlignCorners,
            [1, 2, 6, 7],
            [1.0, 1.0, 2.0, 2.0],
        );
        compare(
            CoordTransformer::Asymmetric,
            [1, 2, 6, 7],
            [1.0, 1.0, 2.0, 3.0],
        );
        compare(
            CoordTransformer::PytorchHalfPixel,
            [1, 1, 5, 4],
            [1.0, 1.0, 3.0, 2.0],
        );
    }
}
