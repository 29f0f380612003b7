//! The core's options table for JavaScript: plain objects in, plain objects out, and
//! the core's `OptionError`s as `TypeError` or `RangeError`. No option is named here;
//! they all come from `backdrop_core::FIELDS`.

use backdrop_core::options::{field, Kind};
use backdrop_core::{
    ModelKind, OptionError, OptionErrorKind, Options, Value, FIELDS, QUALITY_TIERS, TIMING_NAMES,
};
use js_sys::{Array, Object, RangeError, Reflect, TypeError};
use wasm_bindgen::prelude::*;

/// `Unknown` and `Type` become a `TypeError`, `Range` a `RangeError`; the message is the
/// core's, which names the field, the values it takes and the value given.
pub fn to_js_error(error: OptionError) -> JsValue {
    let message = format!("Backdrop: {}", error.message);
    match error.kind {
        OptionErrorKind::Unknown | OptionErrorKind::Type => TypeError::new(&message).into(),
        OptionErrorKind::Range => RangeError::new(&message).into(),
    }
}

/// What a JS value is, for messages about values of the wrong type.
fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if let Some(b) = value.as_bool() {
        format!("the boolean {b}")
    } else if value.is_object() {
        "an object".into()
    } else {
        format!("a value of type {}", value.js_typeof().as_string().unwrap_or_default())
    }
}

/// The (name, value) pairs of a plain JS object, checked for names and types (ranges
/// and choices are checked by the core).
pub fn read_record(record: &JsValue) -> Result<Vec<(String, Value)>, JsValue> {
    if !record.is_object() || Array::is_array(record) {
        let message = format!("Backdrop: options must be an object of option values, got {}", describe(record));
        return Err(TypeError::new(&message).into());
    }
    let mut changes = Vec::new();
    for key in Object::keys(record.unchecked_ref::<Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        let field = field(&name).map_err(to_js_error)?;
        let value = Reflect::get(record, &key)?;
        let value = if let Some(x) = value.as_f64() {
            Value::Number(x)
        } else if let Some(s) = value.as_string() {
            Value::from(s)
        } else {
            return Err(to_js_error(field.wrong_type(&describe(&value))));
        };
        changes.push((name, value));
    }
    Ok(changes)
}

/// `options` after the changes in `record`, all checked before any applies.
pub fn with_record(options: &Options, record: &JsValue) -> Result<Options, JsValue> {
    let changes = read_record(record)?;
    options
        .with_changes(changes.iter().map(|(name, value)| (name.as_str(), value)))
        .map_err(to_js_error)
}

fn js_value(value: &Value) -> JsValue {
    match value {
        Value::Number(x) => JsValue::from_f64(*x),
        Value::Text(s) => JsValue::from_str(s),
    }
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property of a plain object made here cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// The options as a plain object, every field of the table.
pub fn to_record(options: &Options) -> Object {
    let record = Object::new();
    for (name, value) in options.record() {
        set(&record, name, &js_value(&value));
    }
    record
}

/// The defaults of every option, as a plain object (`{mode: 'blur', blurStrength: 0.5, …}`).
#[wasm_bindgen(js_name = defaultOptions)]
pub fn default_options() -> Object {
    to_record(&Options::default())
}

/// Checks an options object without a processor: returns the complete options it gives
/// (the defaults with its changes), or throws the `TypeError` / `RangeError` that
/// `Processor.setOptions` would throw.
#[wasm_bindgen(js_name = checkOptions)]
pub fn check_options(record: &JsValue) -> Result<Object, JsValue> {
    Ok(to_record(&with_record(&Options::default(), record)?))
}

/// The adaptive quality tiers, best first: `[{name, description}, …]`; the index is
/// the `qualityTier` option's value.
#[wasm_bindgen(js_name = qualityTiers)]
pub fn quality_tiers() -> Array {
    QUALITY_TIERS
        .iter()
        .map(|tier| {
            let object = Object::new();
            set(&object, "name", &tier.name.into());
            set(&object, "description", &tier.description.into());
            JsValue::from(object)
        })
        .collect()
}

/// Every option: `[{name, kind, default, description, min?, max?, choices?}, …]`, `kind`
/// being `'number'`, `'integer'`, `'choice'` (with `choices`) or `'color'`; numbers
/// and integers have `min` and `max`.
#[wasm_bindgen(js_name = optionFields)]
pub fn option_fields() -> Array {
    FIELDS
        .iter()
        .map(|f| {
            let object = Object::new();
            set(&object, "name", &f.name.into());
            let kind = match f.kind {
                Kind::Number { min, max } => {
                    set(&object, "min", &min.into());
                    set(&object, "max", &max.into());
                    "number"
                }
                Kind::Integer { min, max } => {
                    set(&object, "min", &min.into());
                    set(&object, "max", &max.into());
                    "integer"
                }
                Kind::Choice(names) => {
                    let choices: Array = names.iter().map(|n| JsValue::from_str(n)).collect();
                    set(&object, "choices", &choices);
                    "choice"
                }
                Kind::Color => "color",
            };
            set(&object, "kind", &kind.into());
            set(&object, "default", &js_value(&f.default));
            set(&object, "description", &f.description.into());
            JsValue::from(object)
        })
        .collect()
}

/// The stages of `Processor.timingValues()`, in its order:
/// `['preprocess', 'inference', 'refine', 'composite', 'total']`.
#[wasm_bindgen(js_name = timingNames)]
pub fn timing_names() -> Array {
    TIMING_NAMES.iter().map(|n| JsValue::from_str(n)).collect()
}

/// The model a processor with these options (a record as for `setOptions`, over the
/// defaults) wants for a `width` × `height` frame, "general" or "landscape"; with no size
/// yet, the one `auto` starts with. The worker fetches this one first.
#[wasm_bindgen(js_name = wantedModel)]
pub fn wanted_model(record: &JsValue, width: Option<u32>, height: Option<u32>) -> Result<String, JsValue> {
    let options = with_record(&Options::default(), record)?;
    let size = width.zip(height);
    Ok(ModelKind::wanted(&options.effective(), size).name().to_owned())
}
