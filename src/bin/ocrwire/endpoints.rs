//! `ocrwire endpoints`: every endpoint the spec defines.

use crate::output::Output;
use ocrwire::descriptor::{Encoding, Endpoint, Family};
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

pub fn run(args: &Args) -> Result<(), String> {
    use std::fmt::Write as _;
    let endpoints: Vec<(&Family, &Endpoint)> = ocrwire::wire::endpoints().collect();
    let mut out = String::new();
    match args.output {
        Output::Json => {
            let list: Vec<_> = endpoints.iter().map(|(f, e)| describe(f, e)).collect();
            let text = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?;
            let _ = writeln!(out, "{text}");
        }
        Output::Jsonl => {
            for (f, e) in &endpoints {
                let _ = writeln!(out, "{}", describe(f, e));
            }
        }
        Output::Text => {
            for family in ocrwire::wire::FAMILIES {
                let _ = writeln!(
                    out,
                    "{} ({}, {} endpoints)",
                    family.title,
                    family.name,
                    family.endpoints.len()
                );
                for v in family.versions {
                    let name = v.name.map_or(String::new(), |n| format!("{n}: "));
                    let _ = writeln!(
                        out,
                        "  {name}paths under `{}`, `{}` by {}",
                        if v.path_prefix.is_empty() {
                            "/"
                        } else {
                            v.path_prefix
                        },
                        v.auth.header,
                        v.auth.name
                    );
                }
                for e in family.endpoints {
                    let _ = writeln!(out, "  {:<22} {:<5} {}", e.name, e.method.as_str(), e.path);
                    if !e.encrypted_request.is_empty() {
                        let _ = writeln!(
                            out,
                            "  {:<22} encrypted request:  {}",
                            "",
                            e.encrypted_request.join(", ")
                        );
                    }
                    if !e.encrypted_response.is_empty() {
                        let _ = writeln!(
                            out,
                            "  {:<22} encrypted response: {}",
                            "",
                            e.encrypted_response.join(", ")
                        );
                    }
                    let codes: Vec<&str> = e.codes().collect();
                    let _ = writeln!(out, "  {:<22} errors: {}", "", codes.join(" "));
                }
                let _ = writeln!(out);
            }
            let _ = writeln!(out, "{} endpoints", endpoints.len());
        }
    }
    // Through the one output door: a closed pipe (`| head`) ends quietly.
    crate::output::emit(&out)
}

fn describe(family: &Family, e: &Endpoint) -> serde_json::Value {
    let encodings: Vec<&str> = e
        .request
        .iter()
        .map(|enc| match enc {
            Encoding::Multipart(_) => "multipart/form-data",
            Encoding::Json { .. } => "application/json",
            Encoding::Form { .. } => "application/x-www-form-urlencoded",
        })
        .collect();
    let errors: Vec<_> = e
        .codes()
        .map(|code| {
            let info = family.error(code);
            json!({
                "code": code,
                "name": info.map(|i| i.name),
                "message": info.map(|i| i.message),
                "retryable": info.map(|i| i.retryable),
            })
        })
        .collect();
    json!({
        "family": family.name,
        "name": e.name,
        "method": e.method.as_str(),
        "path": e.path,
        "versions": family.versions.iter().map(|v| json!({
            "name": v.name,
            "path": v.path_of(e),
            "auth_header": v.auth.header.as_str(),
            "auth_scheme": v.auth.name,
        })).collect::<Vec<_>>(),
        "base_url": family.default_url(),
        "encodings": encodings,
        "encrypted_request_fields": e.encrypted_request,
        "encrypted_response_fields": e.encrypted_response,
        "response_headers": e.response.headers.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
        "errors": errors,
    })
}
