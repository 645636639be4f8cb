//! Page metadata: title, description, canonical URL, Open Graph, and schema.org JSON-LD.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The public base URL (PUBLIC_URL on the server; the page's origin in the browser).
pub fn base_url() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::AppState>()
            .map(|s| s.config.base_url().to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            String::new()
        }
    }
}

/// Title, description, canonical URL and Open Graph tags of a page.
#[component]
pub fn Seo(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] description: Signal<String>,
    /// The page's path, e.g. "/u/anna"
    #[prop(into)]
    path: String,
    #[prop(default = "website")] og_type: &'static str,
    #[prop(into, optional)] image: Option<String>,
    #[prop(optional)] noindex: bool,
) -> impl IntoView {
    let base = base_url();
    let canonical = format!("{base}{path}");
    let image = image.filter(|i| !i.is_empty()).map(|i| {
        if i.starts_with("http") {
            i
        } else {
            format!("{base}{i}")
        }
    });
    let l = crate::i18n::use_i18n();
    // `try_get`: leptos_meta may read a title a moment after its page (and the signal) is gone,
    // when the next page's title replaces it; an empty title then is harmless, a panic is not.
    let full_title = move || {
        let t = title.try_get().unwrap_or_default();
        if t.is_empty() {
            "Tutorium".to_string()
        } else {
            format!("{t} · Tutorium")
        }
    };
    // On the server the title is rendered once, as text: leptos_meta reads it after the page's
    // reactive owners may be gone. In the browser it follows the language.
    // leptos_meta writes the server-side <title> as raw HTML: escape it here, or a title made of
    // user text ("</title><script>…") would break out of the element.
    #[cfg(feature = "ssr")]
    let title_text =
        leptos::text_prop::TextProp::from(crate::server::mail::escape_html(&full_title()));
    #[cfg(not(feature = "ssr"))]
    let title_text = leptos::text_prop::TextProp::from(full_title);
    view! {
        <Title text=title_text />
        <Meta name="description" content=move || description.try_get().unwrap_or_default() />
        <Link rel="canonical" href=canonical.clone() />
        <Meta property="og:site_name" content="Tutorium" />
        <Meta property="og:type" content=og_type />
        <Meta property="og:title" content=move || title.try_get().unwrap_or_default() />
        <Meta property="og:description" content=move || description.try_get().unwrap_or_default() />
        <Meta property="og:url" content=canonical />
        <Meta property="og:locale" content=move || l.try_get().map(|l| l.og()).unwrap_or_default() />
        {image.map(|i| view! {
            <Meta property="og:image" content=i.clone() />
            <Meta name="twitter:card" content="summary" />
        })}
        {noindex.then(|| view! { <Meta name="robots" content="noindex" /> })}
    }
}

/// A schema.org JSON-LD block. `<` is escaped so that user text cannot close the script.
#[component]
pub fn JsonLd(#[prop(into)] data: serde_json::Value) -> impl IntoView {
    let json = data
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    view! { <script type="application/ld+json" inner_html=json></script> }
}

/// Shortens text for a meta description.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut s: String = flat.chars().take(max.saturating_sub(1)).collect();
        if let Some(i) = s.rfind(' ') {
            s.truncate(i);
        }
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_a_word() {
        assert_eq!(excerpt("one two three", 50), "one two three");
        assert_eq!(excerpt("one two three four", 10), "one two…");
    }
}
