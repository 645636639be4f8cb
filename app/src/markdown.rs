//! Safe Markdown, shared by every feature that shows user text (posts, comments, course texts,
//! and later reviews, events and chat).
//!
//! pulldown-cmark renders, ammonia keeps a small allow-list (emphasis, links, lists, code,
//! quotes, line breaks). Raw HTML in the source is shown as text, never as markup. `rich` (course
//! descriptions and lessons) adds headings, images, tables and rules. The two sanitisers are
//! built once. Rendering is server-only (stored HTML is rendered on write); `plain_text` is
//! shared with the browser.

/// Plain text of a post (Markdown marks dropped) for titles and descriptions.
pub fn plain_text(src: &str) -> String {
    src.lines()
        .map(|l| {
            l.trim_start_matches(['#', '>', '*', '-', ' '])
                .replace(['*', '_', '`'], "")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(feature = "ssr")]
mod render;
#[cfg(feature = "ssr")]
pub use render::{render, rich};
