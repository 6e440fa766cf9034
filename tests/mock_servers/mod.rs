//! Local stand-ins for the CLOVA Document API and NHN General OCR that
//! record what travelled and answer with the docs' example bodies. Each
//! test binary uses part of this.
#![allow(dead_code)]

pub mod clova;
pub mod general;
