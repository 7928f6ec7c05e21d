//! What a build produces: each file of the finished site, in memory, by its path under the
//! output folder. `render` makes them, `write` puts them on disk and `serve` serves them.

use crate::source::Data;

/// One file of the finished site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(String),
    Copy(Data),
    /// A file the `assets` stage made, with its hash known.
    Processed(crate::assets::Processed),
}
