//! Tiny ONNX graphs written in the test, for what the real models cannot show: both
//! input layouts, and rejected shapes. "Brightness" models output the mean of R, G and B
//! as the person probability, so the mask of a frame is known exactly.

use prost::Message;
use tract_onnx::pb::{
    attribute_proto::AttributeType, tensor_shape_proto::dimension::Value as Dim,
    tensor_shape_proto::Dimension, type_proto, AttributeProto, GraphProto, ModelProto, NodeProto,
    OperatorSetIdProto, TensorShapeProto, TypeProto, ValueInfoProto,
};

const FLOAT: i32 = 1;

fn value(name: &str, dims: &[i64]) -> ValueInfoProto {
    let shape = TensorShapeProto {
        dim: dims
            .iter()
            .map(|&d| Dimension {
                value: Some(Dim::DimValue(d)),
                ..Default::default()
            })
            .collect(),
    };
    ValueInfoProto {
        name: name.into(),
        r#type: Some(TypeProto {
            value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                elem_type: FLOAT,
                shape: Some(shape),
            })),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn ints(name: &str, v: &[i64]) -> AttributeProto {
    AttributeProto {
        name: name.into(),
        r#type: AttributeType::Ints as i32,
        ints: v.to_vec(),
        ..Default::default()
    }
}

fn int(name: &str, v: i64) -> AttributeProto {
    AttributeProto {
        name: name.into(),
        r#type: AttributeType::Int as i32,
        i: v,
        ..Default::default()
    }
}

fn model(node: NodeProto, input: ValueInfoProto, output: ValueInfoProto) -> Vec<u8> {
    ModelProto {
        ir_version: 8,
        opset_import: vec![OperatorSetIdProto {
            domain: String::new(),
            version: 13,
        }],
        graph: Some(GraphProto {
            name: "synthetic".into(),
            node: vec![node],
            input: vec![input],
            output: vec![output],
            ..Default::default()
        }),
        ..Default::default()
    }
    .encode_to_vec()
}

/// `[1,H,W,3] → [1,H,W,1]` (NHWC) or `[1,3,H,W] → [1,1,H,W]` (NCHW): mean of the channels.
pub fn brightness_model(nchw: bool, height: i64, width: i64) -> Vec<u8> {
    let (input, output, axis) = if nchw {
        (vec![1, 3, height, width], vec![1, 1, height, width], 1)
    } else {
        (vec![1, height, width, 3], vec![1, height, width, 1], 3)
    };
    let node = NodeProto {
        op_type: "ReduceMean".into(),
        input: vec!["x".into()],
        output: vec!["y".into()],
        attribute: vec![ints("axes", &[axis]), int("keepdims", 1)],
        ..Default::default()
    };
    model(node, value("x", &input), value("y", &output))
}

/// An identity graph over `dims`.
pub fn identity_model(dims: &[i64]) -> Vec<u8> {
    let node = NodeProto {
        op_type: "Identity".into(),
        input: vec!["x".into()],
        output: vec!["y".into()],
        ..Default::default()
    };
    model(node, value("x", dims), value("y", dims))
}
