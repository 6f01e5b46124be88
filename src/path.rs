//! Paths into a YAML file: `body[2].table.rows[3].cells[1]` in a layout,
//! `fields.sections[0].naiyo` in a data file.
//!
//! Errors carry a [`YamlPath`] instead of a position; the position is
//! found once, when the error leaves the library
//! ([`crate::source::Locate`]), by walking the file's parse events and
//! comparing their path segment by segment.
//!
//! A path is built by extending a parent: `body.index(2).key("table")`.
//! It is a shared list from the leaf up, so extending and cloning are
//! cheap (one small allocation, one reference count), which matters
//! because layout keeps a path on every cell it builds.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// One step of a path: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(Cow<'static, str>),
    Index(usize),
}

/// A path from the top of a YAML file; empty is the whole file.
#[derive(Clone, Default)]
pub struct YamlPath(Option<Arc<Node>>);

struct Node {
    parent: YamlPath,
    segment: Segment,
    /// Segments from the root, this one included.
    len: usize,
}

impl YamlPath {
    /// The whole file.
    pub fn root() -> YamlPath {
        YamlPath(None)
    }

    /// The entry `key` of the mapping at this path.
    pub fn key(&self, key: impl Into<Cow<'static, str>>) -> YamlPath {
        self.push(Segment::Key(key.into()))
    }

    /// The element `index` of the list at this path.
    pub fn index(&self, index: usize) -> YamlPath {
        self.push(Segment::Index(index))
    }

    fn push(&self, segment: Segment) -> YamlPath {
        YamlPath(Some(Arc::new(Node { parent: self.clone(), segment, len: self.depth() + 1 })))
    }

    /// The number of segments.
    pub fn depth(&self) -> usize {
        self.0.as_ref().map_or(0, |n| n.len)
    }

    /// Is this the whole file?
    pub fn is_root(&self) -> bool {
        self.0.is_none()
    }

    /// The first segment's key (`fields` of `fields.month`), if it is one.
    pub fn first_key(&self) -> Option<&str> {
        match self.segments().first() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// The last segment (`None` for the root).
    pub fn last(&self) -> Option<&Segment> {
        self.0.as_ref().map(|n| &n.segment)
    }

    /// The path without its last segment (`None` for the root).
    pub fn parent(&self) -> Option<&YamlPath> {
        self.0.as_ref().map(|n| &n.parent)
    }

    /// The segments, from the root.
    pub fn segments(&self) -> Vec<&Segment> {
        let mut out = Vec::with_capacity(self.depth());
        let mut at = self;
        while let Some(node) = &at.0 {
            out.push(&node.segment);
            at = &node.parent;
        }
        out.reverse();
        out
    }

    /// Is `self` `ancestor` or inside it?
    pub fn starts_with(&self, ancestor: &YamlPath) -> bool {
        let mut at = self;
        while at.depth() > ancestor.depth() {
            at = at.parent().expect("a longer path has a parent");
        }
        at == ancestor
    }

    /// Read a path as serde_yaml prints it in its messages (`a.b[2].c`).
    /// Only for serde's own paths: every path yoshiki makes is built.
    pub fn parse(text: &str) -> YamlPath {
        let mut path = YamlPath::root();
        for part in text.split('.').filter(|p| !p.is_empty()) {
            let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
            if !key.is_empty() {
                path = path.key(key.to_string());
            }
            while let Some((index, after)) = rest.split_once(']') {
                match index.parse() {
                    Ok(i) => path = path.index(i),
                    Err(_) => path = path.key(index.to_string()),
                }
                rest = after.strip_prefix('[').unwrap_or(after);
            }
        }
        path
    }
}

impl PartialEq for YamlPath {
    fn eq(&self, other: &YamlPath) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                Arc::ptr_eq(a, b) || (a.len == b.len && a.segment == b.segment && a.parent == b.parent)
            }
            _ => false,
        }
    }
}

impl Eq for YamlPath {}

impl std::hash::Hash for YamlPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.segments().hash(state);
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments().into_iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "YamlPath({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_as_people_read_them() {
        let cell = YamlPath::root().key("body").index(2).key("table").key("rows").index(3).key("cells").index(1);
        assert_eq!(cell.to_string(), "body[2].table.rows[3].cells[1]");
        assert_eq!(cell.depth(), 7);
        assert_eq!(cell.last(), Some(&Segment::Index(1)));
        assert_eq!(YamlPath::root().to_string(), "");
    }

    #[test]
    fn serde_paths_read_back_into_segments() {
        let built = YamlPath::root().key("fields").key("list").index(1).key("y");
        assert_eq!(YamlPath::parse("fields.list[1].y"), built);
        assert_eq!(YamlPath::parse("a[0][2]"), YamlPath::root().key("a").index(0).index(2));
        assert_eq!(YamlPath::parse(""), YamlPath::root());
    }

    #[test]
    fn ancestors_contain_their_descendants() {
        let row = YamlPath::root().key("body").index(0);
        let cell = row.key("cells").index(2);
        assert!(cell.starts_with(&row));
        assert!(!row.starts_with(&cell));
        assert!(!cell.starts_with(&YamlPath::root().key("body").index(1)));
    }
}
