//! Rendering and sanitising (server only).

use std::collections::HashSet;

/// Renders user Markdown to HTML that is safe to insert into a page.
pub fn render(src: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html};
    let parser = Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH).map(|e| match e {
        // Raw HTML becomes text: "<b>" shows as "<b>".
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        // Soft line breaks keep the writer's lines.
        Event::SoftBreak => Event::HardBreak,
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    sanitize(&out)
}

/// Markdown for course texts: also headings (a "#" heading becomes `<h2>`: the page has its own
/// `<h1>`), images (http, https or this site), tables and horizontal rules.
pub fn rich(src: &str) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
    let parser = Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES).map(
        |e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                Event::End(TagEnd::Heading(HeadingLevel::H2))
            }
            other => other,
        },
    );
    let mut out = String::new();
    html::push_html(&mut out, parser);
    RICH.clean(&out)
        .to_string()
        .replace("<img ", "<img loading=\"lazy\" ")
}

fn sanitize(html: &str) -> String {
    PLAIN.clean(html).to_string()
}

/// The sanitiser for full Markdown (course descriptions, lessons): built once.
static RICH: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
    ]
    .into_iter()
    .collect();
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    let mut attrs = std::collections::HashMap::new();
    attrs.insert(
        "img",
        ["src", "alt", "title"]
            .into_iter()
            .collect::<HashSet<&str>>(),
    );
    attrs.insert("th", ["align"].into_iter().collect());
    attrs.insert("td", ["align"].into_iter().collect());
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .tag_attributes(attrs)
        .url_schemes(schemes)
        .link_rel(Some("nofollow ugc noopener noreferrer"));
    b
});

/// The sanitiser for short texts (posts, comments): built once.
static PLAIN: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
    ]
    .into_iter()
    .collect();
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .url_schemes(schemes)
        .link_rel(Some("nofollow ugc noopener noreferrer"));
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Payloads from the usual XSS cheat sheets: none may survive as markup.
    pub const XSS: &[&str] = &[
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "\"><script>alert(1)</script>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "![x](x\" onerror=\"alert(1))",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ];

    #[test]
    fn markdown_keeps_emphasis_links_lists_and_code() {
        let h = render("**bold** _it_ `code`\n\n- one\n- two\n\n[site](https://example.com)");
        assert!(
            h.contains("<strong>bold</strong>")
                && h.contains("<em>it</em>")
                && h.contains("<code>code</code>")
        );
        assert!(h.contains("<li>one</li>"));
        assert!(
            h.contains(
                r#"<a href="https://example.com" rel="nofollow ugc noopener noreferrer">site</a>"#
            ),
            "{h}"
        );
    }

    #[test]
    fn rich_markdown_keeps_headings_images_and_tables_but_no_scripts() {
        let h = rich(
            "# Title\n\n## Part\n\n![graph](https://example.com/g.png \"Graph\")\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---",
        );
        assert!(
            h.contains("<h2>Title</h2>") && h.contains("<h2>Part</h2>"),
            "{h}"
        );
        assert!(
            h.contains(
                r#"<img loading="lazy" src="https://example.com/g.png" alt="graph" title="Graph">"#
            ),
            "{h}"
        );
        assert!(
            h.contains("<table>") && h.contains("<td>1</td>") && h.contains("<hr>"),
            "{h}"
        );
        // Payloads may survive as escaped text; no tag may carry them.
        for p in XSS {
            let h = rich(p);
            for t in tags(&h) {
                assert!(
                    !t.starts_with("script")
                        && !t.starts_with("iframe")
                        && !t.starts_with("svg")
                        && !t.starts_with("details")
                        && !t.contains("onerror")
                        && !t.contains("onload")
                        && !t.contains("javascript:")
                        && !t.contains("data:")
                        && !t.contains("style="),
                    "{p}: <{t}> in {h}"
                );
            }
        }
    }

    /// Every tag in `html` (the text between `<` and `>`).
    fn tags(html: &str) -> Vec<String> {
        html.split('<')
            .skip(1)
            .filter_map(|t| t.split_once('>').map(|(tag, _)| tag.to_lowercase()))
            .collect()
    }

    #[test]
    fn xss_payloads_are_inert() {
        let allowed = [
            "p", "/p", "br", "em", "/em", "strong", "/strong", "code", "/code", "a", "/a", "pre",
            "/pre", "del", "/del",
        ];
        for p in XSS {
            let h = render(p);
            for t in tags(&h) {
                let name = t.split_whitespace().next().unwrap_or("");
                assert!(allowed.contains(&name), "{p} kept the tag <{t}>");
                // Attribute names: the words just before each `=`.
                for part in t.split('=').rev().skip(1) {
                    let attr = part
                        .rsplit(|c: char| c.is_whitespace() || c == '"')
                        .next()
                        .unwrap_or("");
                    assert!(
                        ["href", "rel", "class"].contains(&attr),
                        "{p} kept the attribute {attr} in <{t}>"
                    );
                }
                assert!(
                    !t.contains("javascript:") && !t.contains("data:"),
                    "{p}: <{t}>"
                );
            }
        }
    }
}
