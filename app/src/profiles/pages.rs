//! The public profile page and the tutors directory.

use super::api::{get_profile, list_follows, list_tutors};
use super::components::{FollowButton, TutorCardView, followers_text, rate_text};
use super::{PersonItem, Profile, ProfileLookup, SUBJECTS, language_name, subject_name};
use crate::error::AppError;
use crate::i18n::{Locale, plural_ru, use_i18n};
use crate::layout::{ErrorPanel, use_auth};
use crate::tr;
use crate::ui::{Avatar, JsonLd, Load, Seo, excerpt, format_date};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let handle = move || params.with(|p| p.get("handle").unwrap_or_default());
    let profile = Resource::new(handle, get_profile);
    let error = move |e: AppError| {
        view! {
            <Seo title=Signal::derive(String::new) description=Signal::derive(String::new) path=format!("/u/{}", handle()) noindex=true />
            <ErrorPanel error=e />
        }
        .into_any()
    };
    view! {
        <Load resource=profile fallback=|| view! { <div class="page"><p class="loading">"…"</p></div> } error let:found>
            {match found {
                ProfileLookup::Found(p) => view! { <ProfileView profile=*p /> }.into_any(),
                ProfileLookup::MembersOnly { display_name } => view! { <MembersOnly name=display_name handle=handle() /> }.into_any(),
            }}
        </Load>
    }
}

#[component]
fn MembersOnly(name: String, handle: String) -> impl IntoView {
    let n = name.clone();
    let no_avatar: Option<String> = None;
    view! {
        <Seo title=Signal::derive(move || n.clone()) description=Signal::derive(String::new) path=format!("/u/{handle}") noindex=true />
        <section class="page page--narrow empty-state">
            <Avatar url=no_avatar name=name.clone() size=96 />
            <h1>{name}</h1>
            <p>{tr!("This profile is visible to Tutorium members only.", "Этот профиль видят только участники Tutorium.")}</p>
            <a class="button" href=format!("/login?next=/u/{handle}")>{tr!("Log in to see it", "Войдите, чтобы посмотреть")}</a>
        </section>
    }
}

fn person_json_ld(p: &Profile, base: &str) -> serde_json::Value {
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": p.display_name,
        "url": format!("{base}/u/{}", p.handle),
        "description": if p.headline.is_empty() { excerpt(&p.bio, 200) } else { p.headline.clone() },
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/FollowAction",
            "userInteractionCount": p.followers_count,
        },
    });
    if let Some(a) = &p.avatar_url {
        v["image"] = serde_json::Value::String(format!("{base}{a}"));
    }
    if p.is_tutor {
        v["jobTitle"] = serde_json::Value::String("Tutor".into());
        v["knowsAbout"] = p
            .subjects
            .iter()
            .map(|s| subject_name(s, Locale::En))
            .collect();
        v["knowsLanguage"] = p
            .languages
            .iter()
            .map(|c| serde_json::Value::String(c.clone()))
            .collect();
    }
    v
}

#[component]
fn ProfileView(profile: Profile) -> impl IntoView {
    let l = use_i18n();
    let auth = use_auth();
    let followers = RwSignal::new(profile.followers_count);
    let p = profile.clone();
    let title = {
        let name = p.display_name.clone();
        let tutor = p.is_tutor;
        Signal::derive(move || {
            if tutor {
                format!("{name} — {}", l.get().pick("tutor", "репетитор"))
            } else {
                name.clone()
            }
        })
    };
    let description = {
        let text = if p.headline.is_empty() {
            excerpt(&p.bio, 160)
        } else {
            p.headline.clone()
        };
        let name = p.display_name.clone();
        Signal::derive(move || {
            if text.is_empty() {
                match l.get() {
                    Locale::En => format!("{name} on Tutorium."),
                    Locale::Ru => format!("{name} в Tutorium."),
                }
            } else {
                text.clone()
            }
        })
    };
    let json = person_json_ld(&p, &crate::ui::base_url());
    let signed_in =
        Signal::derive(move || auth.user.get().and_then(|u| u.ok()).flatten().is_some());
    let bio_paragraphs: Vec<String> = p
        .bio
        .split("\n\n")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let following = p.following_count;
    let (posts, courses) = (p.posts_count, p.courses_count);
    let joined = p.joined_at;
    view! {
        <Seo title=title description=description path=format!("/u/{}", p.handle) og_type="profile"
            image=p.avatar_url.clone().unwrap_or_default() noindex=p.members_only />
        <JsonLd data=json />
        <article class="page profile">
            <header class="profile__header">
                <Avatar url=p.avatar_url.clone() name=p.display_name.clone() size=128 decorative=true />
                <div class="profile__id">
                    <h1 class="profile__name">{p.display_name.clone()}</h1>
                    {p.is_tutor.then(|| view! { <span class="badge">{tr!("Tutor", "Репетитор")}</span> })}
                    {(!p.headline.is_empty()).then(|| view! { <p class="profile__headline">{p.headline.clone()}</p> })}
                    <p class="profile__counts">
                        {(courses > 0).then(|| view! {
                            <a href="#courses">{move || match l.get() {
                                Locale::En => format!("{courses} {}", if courses == 1 { "course" } else { "courses" }),
                                Locale::Ru => format!("{courses} {}", plural_ru(courses, "курс", "курса", "курсов")),
                            }}</a>
                            " · "
                        })}
                        {(posts > 0).then(|| view! {
                            <a href="#posts">{move || match l.get() {
                                Locale::En => format!("{posts} {}", if posts == 1 { "post" } else { "posts" }),
                                Locale::Ru => format!("{posts} {}", plural_ru(posts, "публикация", "публикации", "публикаций")),
                            }}</a>
                            " · "
                        })}
                        <a href=format!("/u/{}/followers", p.handle) data-testid="followers-count">{move || followers_text(followers.get(), l.get())}</a>
                        " · "
                        <a href=format!("/u/{}/following", p.handle)>{move || match l.get() {
                            Locale::En => format!("following {following}"),
                            Locale::Ru => format!("{following} {}", plural_ru(following, "подписка", "подписки", "подписок")),
                        }}</a>
                    </p>
                </div>
                <div class="profile__actions">
                    {if p.is_me {
                        view! { <a class="button button--ghost" href="/settings/profile">{tr!("Edit profile", "Редактировать профиль")}</a> }.into_any()
                    } else {
                        let uid = p.user_id;
                        let followed = p.followed;
                        view! {
                            {move || view! { <FollowButton user_id=uid followed=followed followers=followers signed_in=signed_in.get() /> }}
                        }.into_any()
                    }}
                </div>
            </header>
            <div class="profile__grid">
                <section class="profile__about" aria-labelledby="about-h">
                    <h2 id="about-h">{tr!("About", "О себе")}</h2>
                    {if bio_paragraphs.is_empty() {
                        view! { <p class="muted">{tr!("No bio yet.", "Пока ничего не рассказал(а) о себе.")}</p> }.into_any()
                    } else {
                        bio_paragraphs.into_iter().map(|para| view! { <p class="profile__bio">{para}</p> }).collect_view().into_any()
                    }}
                </section>
                {p.is_tutor.then(|| {
                    let subjects = p.subjects.clone();
                    let languages = p.languages.clone();
                    let years = p.years_experience;
                    let rate = p.hourly_rate_minor;
                    let currency = p.currency.clone();
                    view! {
                        <aside class="profile__facts card" aria-labelledby="teaching-h">
                            <h2 id="teaching-h">{tr!("Teaching", "Преподавание")}</h2>
                            <dl>
                                <dt>{tr!("Subjects", "Предметы")}</dt>
                                <dd class="chips">
                                    {move || if subjects.is_empty() {
                                        view! { <span class="muted">"—"</span> }.into_any()
                                    } else {
                                        subjects.iter().map(|s| view! {
                                            <a class="chip" href=format!("/tutors?subject={s}")>{subject_name(s, l.get())}</a>
                                        }).collect_view().into_any()
                                    }}
                                </dd>
                                <dt>{tr!("Languages", "Языки")}</dt>
                                <dd>{if languages.is_empty() { "—".to_string() } else { languages.iter().map(|c| language_name(c)).collect::<Vec<_>>().join(", ") }}</dd>
                                <dt>{tr!("Experience", "Опыт")}</dt>
                                <dd>{move || match years {
                                    None => "—".to_string(),
                                    Some(y) => match l.get() {
                                        Locale::En => format!("{y} {}", if y == 1 { "year" } else { "years" }),
                                        Locale::Ru => format!("{y} {}", plural_ru(y, "год", "года", "лет")),
                                    },
                                }}</dd>
                                <dt>{tr!("Rate", "Стоимость")}</dt>
                                <dd class="profile__rate">{move || match rate {
                                    None => l.get().pick("On request", "По запросу").to_string(),
                                    Some(r) => rate_text(r, &currency, l.get()),
                                }}</dd>
                            </dl>
                        </aside>
                    }
                })}
            </div>
            {p.is_tutor.then(|| view! { <crate::courses::components::TutorCourses handle=p.handle.clone() /> })}
            <crate::feed::pages::UserPosts handle=p.handle.clone() />
            <p class="muted profile__joined">{move || match l.get() {
                Locale::En => format!("Joined {}", format_date(joined, Locale::En)),
                Locale::Ru => format!("С нами с {}", format_date(joined, Locale::Ru)),
            }}</p>
        </article>
    }
}

#[component]
pub fn TutorsPage() -> impl IntoView {
    let query = use_query_map();
    let subject = move || query.with(|q| q.get("subject").unwrap_or_default());
    let after = move || query.with(|q| q.get("after").unwrap_or_default());
    let page = Resource::new(move || (subject(), after()), |(s, a)| list_tutors(s, a));
    let l = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let title = Signal::derive(move || {
        let s = subject();
        if s.is_empty() {
            l.get().pick("Tutors", "Репетиторы").to_string()
        } else {
            format!(
                "{} — {}",
                l.get().pick("Tutors", "Репетиторы"),
                subject_name(&s, l.get())
            )
        }
    });
    let path = {
        let s = subject();
        if s.is_empty() {
            "/tutors".to_string()
        } else {
            format!("/tutors?subject={s}")
        }
    };
    view! {
        <Seo title=title
            description=Signal::derive(move || l.get().pick(
                "Find a tutor on Tutorium: mathematics, languages, programming and more.",
                "Найдите репетитора в Tutorium: математика, языки, программирование и многое другое.",
            ).to_string())
            path=path />
        <section class="page">
            <header class="page__header">
                <h1>{move || title.get()}</h1>
                <form class="filter" method="get" action="/tutors" role="search">
                    <label for="subject-filter">{tr!("Subject", "Предмет")}</label>
                    <select id="subject-filter" name="subject" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let to = if v.is_empty() { "/tutors".to_string() } else { format!("/tutors?subject={v}") };
                        navigate(&to, Default::default());
                    }>
                        <option value="" selected=move || subject().is_empty()>{tr!("All subjects", "Все предметы")}</option>
                        {SUBJECTS.iter().map(|(code, _, _)| {
                            let code = *code;
                            view! { <option value=code selected=move || subject() == code>{move || subject_name(code, l.get())}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button--ghost">{tr!("Show", "Показать")}</button>
                </form>
            </header>
            <Load resource=page transition=true let:p>
                {if p.items.is_empty() {
                    view! {
                        <div class="empty-state">
                            <p>{tr!("No tutors here yet.", "Здесь пока нет репетиторов.")}</p>
                            <a href="/tutors">{tr!("Show all subjects", "Показать все предметы")}</a>
                        </div>
                    }.into_any()
                } else {
                    let s = subject();
                    let next = p.next.clone().map(|n| {
                        if s.is_empty() { format!("/tutors?after={n}") } else { format!("/tutors?subject={s}&after={n}") }
                    });
                    let first = if s.is_empty() { "/tutors".to_string() } else { format!("/tutors?subject={s}") };
                    let not_first = !after().is_empty();
                    view! {
                        <ul class="tutor-list">
                            {p.items.into_iter().map(|t| view! { <TutorCardView tutor=t /> }).collect_view()}
                        </ul>
                        <nav class="pager" aria-label=tr!("Pages", "Страницы")>
                            {not_first.then(|| view! { <a class="button button--ghost" href=first.clone()>{tr!("← First page", "← В начало")}</a> })}
                            {next.map(|n| view! { <a class="button" href=n rel="next">{tr!("More tutors →", "Ещё репетиторы →")}</a> })}
                        </nav>
                    }.into_any()
                }}
            </Load>
        </section>
    }
}

/// `/u/:handle/followers` and `/u/:handle/following`: the people on either side of someone's
/// follows, newest first, 30 a page.
#[component]
pub fn FollowsPage(followers: bool) -> impl IntoView {
    let l = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let handle = move || params.with(|p| p.get("handle").unwrap_or_default());
    let after = move || query.with(|q| q.get("after").unwrap_or_default());
    let page = Resource::new(
        move || (handle(), after()),
        move |(h, a)| list_follows(h, followers, a),
    );
    let which = if followers { "followers" } else { "following" };
    view! {
        <section class="page follows">
            <Load resource=page transition=true let:p>
                {
                    let name = p.display_name.clone();
                    let title = Signal::derive(move || match (followers, l.get()) {
                        (true, Locale::En) => format!("{name}'s followers"),
                        (true, Locale::Ru) => format!("Подписчики — {name}"),
                        (false, Locale::En) => format!("Followed by {name}"),
                        (false, Locale::Ru) => format!("Подписки — {name}"),
                    });
                    let count = p.count;
                    let description = Signal::derive(move || match (followers, l.get()) {
                        (true, Locale::En) => followers_text(count, Locale::En) + " on Tutorium.",
                        (true, Locale::Ru) => followers_text(count, Locale::Ru) + " в Tutorium.",
                        (false, Locale::En) => format!("Following {count} on Tutorium."),
                        (false, Locale::Ru) => format!("{count} {} в Tutorium.", plural_ru(count, "подписка", "подписки", "подписок")),
                    });
                    let base = format!("/u/{}/{which}", p.handle);
                    let profile = format!("/u/{}", p.handle);
                    let next = p.next.clone().map(|n| format!("{base}?after={n}"));
                    let not_first = !after().is_empty();
                    view! {
                        <Seo title=title description=description path=base.clone() noindex=true />
                        <header class="page__header">
                            <p class="follows__back"><a href=profile.clone()>{format!("← {}", p.display_name)}</a></p>
                            <h1>{move || title.get()}</h1>
                            <nav class="tabs" aria-label=tr!("Follows", "Подписки")>
                                <a class="tabs__tab" href=format!("{profile}/followers") aria-current=followers.then_some("page")>{tr!("Followers", "Подписчики")}</a>
                                <a class="tabs__tab" href=format!("{profile}/following") aria-current=(!followers).then_some("page")>{tr!("Following", "Подписки")}</a>
                            </nav>
                        </header>
                        {if p.items.is_empty() {
                            view! {
                                <div class="empty-state">
                                    <p>{if followers {
                                        tr!("No followers yet.", "Пока нет подписчиков.").into_any()
                                    } else {
                                        tr!("Not following anyone yet.", "Пока ни на кого не подписан(а).").into_any()
                                    }}</p>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <ul class="person-list">
                                    {p.items.into_iter().map(|person| view! { <PersonRow person /> }).collect_view()}
                                </ul>
                                <nav class="pager" aria-label=tr!("Pages", "Страницы")>
                                    {not_first.then(|| view! { <a class="button button--ghost" href=base.clone()>{tr!("← First page", "← В начало")}</a> })}
                                    {next.map(|n| view! { <a class="button" href=n rel="next">{tr!("More →", "Ещё →")}</a> })}
                                </nav>
                            }.into_any()
                        }}
                    }
                }
            </Load>
        </section>
    }
}

/// A person in a follows list: avatar, name (to their profile), headline.
#[component]
fn PersonRow(person: PersonItem) -> impl IntoView {
    let href = format!("/u/{}", person.handle);
    view! {
        <li class="person-list__item">
            <Avatar url=person.avatar_url.clone() name=person.display_name.clone() size=48 decorative=true />
            <div class="person-list__text">
                <a class="person-list__name" href=href>{person.display_name.clone()}</a>
                {person.is_tutor.then(|| view! { <span class="badge">{tr!("Tutor", "Репетитор")}</span> })}
                {(!person.headline.is_empty()).then(|| view! { <p class="muted person-list__headline">{person.headline.clone()}</p> })}
            </div>
        </li>
    }
}
