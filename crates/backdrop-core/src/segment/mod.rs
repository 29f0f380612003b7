//! The segmentation model: an ONNX graph loaded from bytes with tract, optimised once
//! for its fixed input shape, run on one RGB image in [0, 1] per frame, giving a person
//! probability per pixel.

pub mod linear_resize;
pub mod people;

use anyhow::{bail, ensure, Context, Result};
use std::io::Cursor;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::infer::Factoid;

/// Memory layout of the model's input tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `[1, H, W, 3]`, channels interleaved (TFLite's layout).
    Nhwc,
    /// `[1, 3, H, W]`, one plane per channel (ONNX convolutions' layout).
    Nchw,
}

/// A loaded, optimised segmentation model and its reusable run state.
pub struct Segmenter {
    state: TypedSimpleState,
    layout: Layout,
    width: usize,
    height: usize,
    /// The input tensor, reused from frame to frame.
    input: Arc<Tensor>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("layout", &self.layout)
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// Reads the concrete input shape, treating an unknown batch dimension as 1.
fn input_shape(model: &InferenceModel) -> Result<Vec<usize>> {
    let fact = model.input_fact(0)?;
    let dims: Vec<Option<usize>> = fact
        .shape
        .dims()
        .map(|d| {
            d.concretize()
                .and_then(|d| d.as_i64())
                .and_then(|d| usize::try_from(d).ok())
        })
        .collect();
    ensure!(
        dims.len() == 4,
        "model input has rank {} ({fact:?}), expected 4: [1,H,W,3] or [1,3,H,W]",
        dims.len()
    );
    let mut shape = Vec::with_capacity(4);
    for (i, d) in dims.iter().enumerate() {
        match (i, d) {
            (0, None) => shape.push(1),
            (_, Some(n)) => shape.push(*n),
            (_, None) => bail!("model input dimension {i} is not fixed ({fact:?}); Backdrop needs a static H and W"),
        }
    }
    ensure!(
        shape[0] == 1,
        "model input batch is {}, expected 1",
        shape[0]
    );
    Ok(shape)
}

impl Segmenter {
    /// Loads an ONNX model from its bytes. Fails with the reason when the bytes are
    /// not an ONNX model or the model is not a 1-image RGB → 1-channel segmenter.
    pub fn from_onnx_bytes(bytes: &[u8]) -> Result<Self> {
        ensure!(!bytes.is_empty(), "model bytes are empty");
        let model = tract_onnx::onnx()
            .model_for_read(&mut Cursor::new(bytes))
            .with_context(|| {
                format!(
                    "the {} bytes given are not a readable ONNX model",
                    bytes.len()
                )
            })?;
        ensure!(
            model.inputs.len() == 1,
            "model has {} inputs, expected 1 image",
            model.inputs.len()
        );
        ensure!(!model.outputs.is_empty(), "model has no outputs");
        let shape = input_shape(&model)?;
        let (layout, height, width) = match shape[..] {
            [_, 3, h, w] => (Layout::Nchw, h, w),
            [_, h, w, 3] => (Layout::Nhwc, h, w),
            _ => bail!("model input shape {shape:?} is neither [1,H,W,3] nor [1,3,H,W]"),
        };
        ensure!(
            width > 0 && height > 0,
            "model input shape {shape:?} has a zero size"
        );
        let plan = model
            .with_input_fact(0, f32::fact(&shape).into())
            .context("fixing the model input to f32")?
            .into_optimized()
            .context("optimising the model")?;
        let mut plan = plan;
        linear_resize::replace_resizes(&mut plan)
            .context("planning the model's bilinear resizes")?;
        let plan = plan.into_runnable().context("preparing the model to run")?;
        let output = plan.model().output_fact(0)?;
        let out_shape = output.shape.as_concrete().map(|s| s.to_vec());
        let expected = [vec![1, height, width, 1], vec![1, 1, height, width]];
        ensure!(
            output.datum_type == f32::datum_type() && out_shape.as_ref().is_some_and(|s| expected.contains(s)),
            "model output is {output:?}, expected f32 [1,{height},{width},1] or [1,1,{height},{width}]"
        );
        let state = plan.spawn().context("creating the model's run state")?;
        let input_shape = match layout {
            Layout::Nhwc => [1, height, width, 3],
            Layout::Nchw => [1, 3, height, width],
        };
        let input = Arc::new(Tensor::zero::<f32>(&input_shape)?);
        Ok(Self {
            state,
            layout,
            width,
            height,
            input,
        })
    }

    /// Input (and mask) width and height.
    pub fn input_size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Runs the model on `rgb`: three planes (R, G, B) of `width * height` values in
    /// [0, 1]. Writes the person probability, clamped to [0, 1], into `mask`.
    pub fn run(&mut self, rgb: &[f32], mask: &mut [f32]) -> Result<()> {
        let n = self.width * self.height;
        ensure!(
            rgb.len() == 3 * n,
            "model input holds {} values, expected 3 x {n}",
            rgb.len()
        );
        ensure!(
            mask.len() == n,
            "mask buffer holds {} values, expected {n}",
            mask.len()
        );
        // Shared with the run only while it lasts: once tract drops its reference the
        // tensor is ours alone again and is refilled in place (make_mut copies only if
        // tract kept a reference).
        {
            let input = Arc::make_mut(&mut self.input);
            let mut view = input.try_as_plain_ram_mut()?;
            let dst = view.as_slice_mut::<f32>()?;
            match self.layout {
                Layout::Nchw => dst.copy_from_slice(rgb),
                Layout::Nhwc => {
                    let (r, rest) = rgb.split_at(n);
                    let (g, b) = rest.split_at(n);
                    for (i, px) in dst.chunks_exact_mut(3).enumerate() {
                        px.copy_from_slice(&[r[i], g[i], b[i]]);
                    }
                }
            }
        }
        let outputs = self
            .state
            .run(tvec!(TValue::from_const(self.input.clone())))
            .context("running the model")?;
        let plain = outputs[0].try_as_plain_ram()?;
        let probability = plain.as_slice::<f32>()?;
        ensure!(
            probability.len() == n,
            "model produced {} values, expected {n}",
            probability.len()
        );
        for (m, &p) in mask.iter_mut().zip(probability) {
            // NaN becomes 0 (background).
            *m = if p >= 0.0 { p.min(1.0) } else { 0.0 };
        }
        Ok(())
    }

    /// Whether the input tensor is held by nobody but this segmenter (so the next run
    /// refills it instead of allocating a new one).
    pub fn input_is_reusable(&self) -> bool {
        Arc::strong_count(&self.input) == 1
    }
}
