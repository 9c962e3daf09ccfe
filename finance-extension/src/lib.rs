//! Finance core.
pub mod html;
pub mod mime;
pub mod money;
