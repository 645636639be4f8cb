//! Percent-encoding for the URLs the app builds (query values, `next=` paths, `data:` links,
//! `Content-Disposition` names), through the `percent-encoding` crate.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// The same, keeping `/` so that a path stays readable in `?next=/courses/x`.
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// Encodes a query value or any other URL component.
pub fn component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Encodes a local path for a query parameter (slashes kept).
pub fn path(s: &str) -> String {
    utf8_percent_encode(s, PATH).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn components_keep_only_unreserved_characters() {
        assert_eq!(super::component("a b/ц&"), "a%20b%2F%D1%86%26");
        assert_eq!(super::path("/courses/x y"), "/courses/x%20y");
        assert_eq!(super::component("A-z_0.9~"), "A-z_0.9~");
    }
}
