//! The catalog: search, filters that apply as they change, and "show more".

use crate::courses::api::list_catalog;
use crate::courses::components::CourseCardView;
use crate::courses::{CATEGORIES, COURSE_LANGUAGES, CatalogPage as Page, CatalogQuery, Level};
use crate::i18n::{Locale, use_i18n};
use crate::tr;
use crate::ui::{JsonLd, Load, Seo};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Reads the catalog query from the address.
fn catalog_query(m: &leptos_router::params::ParamsMap) -> CatalogQuery {
    let g = |k: &str| m.get(k).unwrap_or_default();
    CatalogQuery {
        q: g("q"),
        category: g("category"),
        level: g("level"),
        language: g("language"),
        price: g("price"),
        duration: g("duration"),
        rating: g("rating"),
        sort: g("sort"),
        after: g("after"),
    }
}

/// The address of a catalog query (`after` included when not empty).
fn catalog_href(q: &CatalogQuery) -> String {
    let pairs = [
        ("q", &q.q),
        ("category", &q.category),
        ("level", &q.level),
        ("language", &q.language),
        ("price", &q.price),
        ("duration", &q.duration),
        ("rating", &q.rating),
        ("sort", &q.sort),
        ("after", &q.after),
    ];
    let qs: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::url::component(v)))
        .collect();
    if qs.is_empty() {
        "/courses".into()
    } else {
        format!("/courses?{}", qs.join("&"))
    }
}

/// A select of the catalog filter form; submits the form when changed (after hydration).
#[component]
fn FilterSelect(
    name: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    value: String,
    options: Vec<(String, Signal<String>)>,
) -> impl IntoView {
    let id = format!("catalog-{name}");
    view! {
        <div class="filter">
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id name=name on:change=submit_form>
                {options.into_iter().map(|(v, text)| {
                    let selected = v == value;
                    view! { <option value=v selected=selected>{move || text.get()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Submits the form of the element that fired the event (filters apply as soon as they change).
fn submit_form(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .and_then(|s| s.form())
        {
            let _ = form.request_submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let l = use_i18n();
    let query = use_query_map();
    let q = move || query.with(catalog_query);
    let page = Resource::new(q, list_catalog);
    let any = |en: &'static str, ru: &'static str| {
        (
            String::new(),
            Signal::derive(move || use_i18n().get().pick(en, ru).to_string()),
        )
    };
    let current = query.with_untracked(catalog_query);
    let categories: Vec<(String, Signal<String>)> =
        std::iter::once(any("All categories", "Все категории"))
            .chain(CATEGORIES.iter().map(|c| {
                (
                    c.0.to_string(),
                    Signal::derive(move || use_i18n().get().pick(c.1, c.2).to_string()),
                )
            }))
            .collect();
    let levels: Vec<(String, Signal<String>)> = std::iter::once(any("Any level", "Любой уровень"))
        .chain(Level::ALL.iter().map(|lv| {
            (
                lv.code().to_string(),
                Signal::derive(move || lv.name(use_i18n().get()).to_string()),
            )
        }))
        .collect();
    let languages: Vec<(String, Signal<String>)> =
        std::iter::once(any("Any language", "Любой язык"))
            .chain(
                COURSE_LANGUAGES
                    .iter()
                    .map(|c| (c.0.to_string(), Signal::derive(move || c.1.to_string()))),
            )
            .collect();
    let opt = |v: &str, en: &'static str, ru: &'static str| {
        (
            v.to_string(),
            Signal::derive(move || use_i18n().get().pick(en, ru).to_string()),
        )
    };
    let prices = vec![
        any("Free and paid", "Бесплатные и платные"),
        opt("free", "Free", "Бесплатные"),
        opt("paid", "Paid", "Платные"),
    ];
    let durations = vec![
        any("Any length", "Любая длительность"),
        opt("short", "Under 1 hour", "До 1 часа"),
        opt("medium", "1–5 hours", "1–5 часов"),
        opt("long", "Over 5 hours", "Больше 5 часов"),
    ];
    let ratings = vec![
        any("Any rating", "Любой рейтинг"),
        opt("4.5", "4.5 and up", "От 4,5"),
        opt("4", "4 and up", "От 4"),
        opt("3", "3 and up", "От 3"),
    ];
    let sorts = vec![
        opt("popular", "Popular", "Популярные"),
        opt("newest", "Newest", "Новые"),
        opt("rating", "Top rated", "С высоким рейтингом"),
        opt("price", "Price: low to high", "Сначала дешевле"),
        opt("price-desc", "Price: high to low", "Сначала дороже"),
    ];
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Courses", "Курсы").to_string())
            description=Signal::derive(move || l.get().pick(
                "Online courses from tutors: programming, math, languages, exam preparation and more. Free previews, progress tracking.",
                "Онлайн-курсы от репетиторов: программирование, математика, языки, подготовка к экзаменам и другое. Бесплатные уроки, учёт прогресса.",
            ).to_string())
            path="/courses" />
        <section class="page catalog">
            <header class="page__header">
                <h1>{tr!("Courses", "Курсы")}</h1>
            </header>
            <leptos_router::components::Form method="GET" action="/courses" attr:class="catalog__filters" attr:role="search">
                <div class="field catalog__search">
                    <label for="catalog-q">{tr!("Search courses", "Поиск курсов")}</label>
                    <input id="catalog-q" type="search" name="q" value=current.q.clone() maxlength="200"
                        placeholder=tr!("Python, algebra, English…", "Python, алгебра, английский…") />
                </div>
                <FilterSelect name="category" label=Signal::derive(tr!("Category", "Категория")) value=current.category.clone() options=categories />
                <FilterSelect name="level" label=Signal::derive(tr!("Level", "Уровень")) value=current.level.clone() options=levels />
                <FilterSelect name="language" label=Signal::derive(tr!("Language", "Язык")) value=current.language.clone() options=languages />
                <FilterSelect name="price" label=Signal::derive(tr!("Price", "Цена")) value=current.price.clone() options=prices />
                <FilterSelect name="duration" label=Signal::derive(tr!("Length", "Длительность")) value=current.duration.clone() options=durations />
                <FilterSelect name="rating" label=Signal::derive(tr!("Rating", "Рейтинг")) value=current.rating.clone() options=ratings />
                <FilterSelect name="sort" label=Signal::derive(tr!("Sort by", "Сортировка")) value=current.sort.clone() options=sorts />
                <button type="submit" class="button">{tr!("Search", "Найти")}</button>
            </leptos_router::components::Form>
            <Load resource=page transition=true let:first>
                <CatalogResults first query=q() />
            </Load>
        </section>
    }
}

/// The result count, the cards, and "show more" (a plain link to the next page without JS).
#[component]
fn CatalogResults(first: Page, query: CatalogQuery) -> impl IntoView {
    let l = use_i18n();
    let total = first.total;
    let base = crate::ui::base_url();
    let json = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "numberOfItems": total,
        "itemListElement": first.items.iter().enumerate().map(|(i, c)| serde_json::json!({
            "@type": "ListItem", "position": i + 1, "url": format!("{base}/courses/{}", c.slug), "name": c.title,
        })).collect::<Vec<_>>(),
    });
    let items = RwSignal::new(first.items);
    let next = RwSignal::new(first.next);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<crate::error::Msg>);
    let q = StoredValue::new(query);
    let more = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let Some(after) = next.get_untracked() else {
            return;
        };
        loading.set(true);
        let mut query = q.get_value();
        query.after = after;
        leptos::task::spawn_local(async move {
            match list_catalog(query).await {
                Ok(p) => {
                    items.update(|v| {
                        for c in p.items {
                            if !v.iter().any(|x| x.id == c.id) {
                                v.push(c);
                            }
                        }
                    });
                    next.set(p.next);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.msg())),
            }
            loading.set(false);
        });
    };
    view! {
        <JsonLd data=json />
        <p class="catalog__count" role="status">{move || match l.get() {
            Locale::En => format!("{total} {} found", if total == 1 { "course" } else { "courses" }),
            Locale::Ru => format!("Найдено: {total} {}", crate::i18n::plural_ru(total, "курс", "курса", "курсов")),
        }}</p>
        {(total == 0).then(|| view! {
            <div class="empty-state">
                <p>{tr!("No courses match. Try other words or fewer filters.", "Ничего не нашлось. Попробуйте другие слова или меньше фильтров.")}</p>
                <a class="button button--ghost" href="/courses">{tr!("Reset filters", "Сбросить фильтры")}</a>
            </div>
        })}
        // The cards' titles are h3: their section needs a heading of its own (heading order).
        <h2 class="visually-hidden">{tr!("Courses found", "Найденные курсы")}</h2>
        <div class="course-grid">
            <For each=move || items.get() key=|c| c.id let:card>
                <CourseCardView card />
            </For>
        </div>
        {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
        {move || next.get().map(|after| {
            let mut query = q.get_value();
            query.after = after;
            view! {
                <p class="post-list__more">
                    <a class="button button--ghost" href=catalog_href(&query) on:click=more aria-disabled=move || loading.get().then_some("true")>
                        {tr!("Show more courses", "Показать ещё курсы")}
                    </a>
                </p>
            }
        })}
    }
}
