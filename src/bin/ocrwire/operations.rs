//! Every endpoint the spec defines, as the command line reaches it: a table
//! built once from the generated registry (`wire::visit_operations`), so a
//! new spec endpoint is a new entry with no list to update here.

use std::sync::OnceLock;

use ocrwire::descriptor::{Endpoint, Family, OperationVisitor, Shape, Vendor};
use ocrwire::wire::drift::{Drift, DriftMode};
use serde_json::Value;

/// An answer decoded into its type, then written back as JSON (so it holds
/// what the spec knows, in wire order), with its drift.
pub struct Decoded {
    pub answer: Value,
    pub drift: Vec<Drift>,
}

/// One endpoint and what the command line does with it.
pub struct Operation {
    pub family: &'static Family,
    pub endpoint: &'static Endpoint,
    /// The payload's shape, which its report reads the answer through.
    pub shape: &'static Shape<'static>,
    /// Decodes a saved answer of the endpoint.
    pub decode: fn(&[u8], DriftMode) -> Result<Decoded, ocrwire::Error>,
}

struct Table(Vec<Operation>);

impl OperationVisitor for Table {
    fn visit<O: ocrwire::descriptor::Operation>(&mut self) {
        self.0.push(Operation {
            family: <O::Api as ocrwire::descriptor::Api>::FAMILY,
            endpoint: O::ENDPOINT,
            shape: <O::Response as ocrwire::descriptor::Schema>::SHAPE,
            decode: decode::<O>,
        });
    }
}

fn decode<O: ocrwire::descriptor::Operation>(
    body: &[u8],
    mode: DriftMode,
) -> Result<Decoded, ocrwire::Error> {
    let answer = ocrwire::client::decode_saved::<O>(body, mode)?;
    let drift = answer.drift().to_vec();
    Ok(Decoded {
        // The generated types serialize to plain JSON.
        answer: serde_json::to_value(answer.into_inner()).unwrap_or_default(),
        drift,
    })
}

/// Every endpoint, in spec order.
pub fn all() -> &'static [Operation] {
    static TABLE: OnceLock<Vec<Operation>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table(Vec::new());
        ocrwire::wire::visit_operations(&mut table);
        table.0
    })
}

/// The command-line group of a vendor's endpoints (`ocrwire nhn ...`).
pub fn group(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Nhn => "nhn",
        Vendor::Clova => "clova",
    }
}

/// The endpoint `name` of the vendor whose group is `group_name` (`nhn`,
/// `clova`), or of the family of that name (`nhn-document-ocr-v1`), which
/// tells apart endpoints of one name in two families of a vendor.
pub fn find(group_name: &str, name: &str) -> Result<&'static Operation, String> {
    let in_group: Vec<&Operation> = all()
        .iter()
        .filter(|op| group(op.family.vendor) == group_name || op.family.name == group_name)
        .collect();
    if in_group.is_empty() {
        return Err(format!(
            "no endpoints are grouped as `{group_name}`; use nhn or clova, or a family's name (see `ocrwire endpoints`)"
        ));
    }
    let found: Vec<&Operation> = in_group
        .iter()
        .copied()
        .filter(|op| op.endpoint.name == name)
        .collect();
    // A family that yields a shared name (the spec's `cli.yields_to`) is
    // reached by its own name only.
    let found: Vec<&Operation> = match found.as_slice() {
        [_, _, ..] if group_name != found[0].family.name => found
            .iter()
            .copied()
            .filter(|op| {
                !found
                    .iter()
                    .any(|other| op.family.yields_to.contains(&other.family.name))
            })
            .collect(),
        _ => found,
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let names: Vec<&str> = in_group.iter().map(|op| op.endpoint.name).collect();
            Err(format!(
                "`{group_name}` has no endpoint `{name}`; it has {}",
                names.join(", ")
            ))
        }
        many => {
            let families: Vec<&str> = many.iter().map(|op| op.family.name).collect();
            Err(format!(
                "`{name}` is an endpoint of {}; name the family instead of `{group_name}` (`ocrwire call {} {name} ...`)",
                families.join(" and "),
                families[0]
            ))
        }
    }
}
