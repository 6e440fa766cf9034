//! CLOVA General and Template OCR: the generic answer (the spec's checks
//! and example), then what depends on the request and on the domain's
//! settings, which no spec can state (registered in
//! [`handlers::ADJUSTMENTS`](super::handlers::ADJUSTMENTS)).
//!
//! - Tables only when the request asks (`enableTableDetection`); asked on
//!   a domain whose table option is off
//!   ([`EmulatorConfig::clova_table_detection`](super::EmulatorConfig::clova_table_detection)),
//!   the code for `option-off` (0028).
//! - Template: the matched template is the first requested id the domain
//!   released ([`EmulatorConfig::clova_templates`](super::EmulatorConfig::clova_templates);
//!   by default whatever is requested), else the first released; none
//!   released, or none of those requested, answers the code for
//!   `not-released` (1021).

use serde_json::Value;

use super::samples;
use super::state::State;
use crate::descriptor::{Endpoint, ErrorRole};

/// Adjusts an endpoint's generic answer to its request.
pub type Adjust = fn(&State, &Endpoint, Option<&Value>, &mut Value) -> Result<(), ErrorRole>;

/// Whether the request asks for tables.
fn asks_tables(request: Option<&Value>) -> bool {
    request.is_some_and(|r| r["enableTableDetection"] == Value::Bool(true))
}

/// Tables in the answer exactly when asked (from the endpoint's `tables`
/// example when its default has none), and 0028 when the domain's option
/// is off.
pub fn tables(
    state: &State,
    endpoint: &Endpoint,
    request: Option<&Value>,
    answer: &mut Value,
) -> Result<(), ErrorRole> {
    let asked = asks_tables(request);
    if asked && !state.config.clova_table_detection {
        return Err(ErrorRole::OptionOff);
    }
    let Some(image) = answer["images"].get_mut(0).and_then(Value::as_object_mut) else {
        return Ok(());
    };
    if !asked {
        image.remove("tables");
    } else if !image.contains_key("tables") {
        let tables = samples::example(endpoint, Some("tables"))
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .map(|example| example["images"][0]["tables"].clone())
            .filter(Value::is_array)
            .unwrap_or_else(|| Value::Array(Vec::new()));
        image.insert("tables".into(), tables);
    }
    Ok(())
}

/// The template the request matches: `matchedTemplate.id`, with tables as
/// General's.
pub fn template(
    state: &State,
    endpoint: &Endpoint,
    request: Option<&Value>,
    answer: &mut Value,
) -> Result<(), ErrorRole> {
    let requested: Vec<i64> = request
        .and_then(|r| r["images"][0]["templateIds"].as_array())
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .collect();
    let matched = match (&state.config.clova_templates, requested.first()) {
        // Whatever a call names is released.
        (None, Some(first)) => Some(first),
        (None, None) => Some(&1),
        (Some(released), None) => released.first(),
        (Some(released), Some(_)) => requested.iter().find(|id| released.contains(id)),
    };
    let Some(&id) = matched else {
        return Err(ErrorRole::NotReleased);
    };
    tables(state, endpoint, request, answer)?;
    if let Some(template) = answer["images"]
        .get_mut(0)
        .and_then(|image| image.get_mut("matchedTemplate"))
        .and_then(Value::as_object_mut)
    {
        template.insert("id".into(), Value::from(id));
    }
    Ok(())
}
