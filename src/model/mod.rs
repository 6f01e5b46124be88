//! The input model: the layout language and data files, as read from
//! YAML. Nothing here knows any particular form.

pub mod data;
pub mod layout;
pub mod written;
