//! The course editor (`/studio/courses/{id}`) and the "new course" form: course details, cover,
//! sections and lessons with drag-and-drop and keyboard reordering, the lesson editor with video
//! and attachments, and the review lifecycle buttons.

use super::api::{
    AddLesson, AddSection, ArchiveCourse, DeleteAttachment, DeleteLesson, DeleteSection,
    RenameSection, SubmitCourse, create_course, get_course_draft, reorder_course, update_course,
    update_lesson,
};
use super::{CATEGORIES, COURSE_LANGUAGES, CourseDraft, CourseForm, DraftLesson, Level, Status};
use crate::error::{AppError, Msg};
use crate::i18n::use_i18n;
use crate::layout::ErrorPanel;
use crate::tr;
use crate::ui::{ErrorText, FormError, FormFields, Notice, Seo, field_error, form_error};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

type Layout = Vec<(i64, Vec<i64>)>;

/// What was just saved: the notice survives the editor's reload.
#[derive(Clone, Copy, PartialEq)]
enum Saved {
    Details,
    Lesson(i64),
}

/// Category, level and language selects of the course forms.
#[component]
fn CourseSelects(
    category: String,
    level: Level,
    language: String,
    result: RwSignal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let l = use_i18n();
    view! {
        <div class="form__row">
            <div class="field">
                <label for="course-category">{tr!("Category", "Категория")}</label>
                <select id="course-category" name="category">
                    <option value="" selected=category.is_empty()>{tr!("Choose…", "Выберите…")}</option>
                    {CATEGORIES.iter().map(|c| view! { <option value=c.0 selected=c.0 == category>{move || l.get().pick(c.1, c.2)}</option> }).collect_view()}
                </select>
                <ErrorText msg=field_error(result, "category") />
            </div>
            <div class="field">
                <label for="course-level">{tr!("Level", "Уровень")}</label>
                <select id="course-level" name="level">
                    {Level::ALL.iter().map(|lv| view! { <option value=lv.code() selected=*lv == level>{move || lv.name(l.get())}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="course-language">{tr!("Language of the course", "Язык курса")}</label>
                <select id="course-language" name="language">
                    {COURSE_LANGUAGES.iter().map(|c| view! { <option value=c.0 selected=c.0 == language>{c.1}</option> }).collect_view()}
                </select>
                <ErrorText msg=field_error(result, "language") />
            </div>
        </div>
    }
}

/// Price and currency fields.
#[component]
fn PriceFields(
    price: String,
    currency: String,
    result: RwSignal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    view! {
        <div class="form__row">
            <div class="field">
                <label for="course-price">{tr!("Price (empty for free)", "Цена (пусто — бесплатно)")}</label>
                <input id="course-price" name="price" inputmode="decimal" value=price maxlength="12"
                    aria-invalid=move || field_error(result, "price").get().is_some().then_some("true") />
                <ErrorText msg=field_error(result, "price") />
            </div>
            <div class="field">
                <label for="course-currency">{tr!("Currency", "Валюта")}</label>
                <select id="course-currency" name="currency">
                    {crate::money::CURRENCIES.iter().map(|c| view! { <option value=*c selected=*c == currency>{*c}</option> }).collect_view()}
                </select>
            </div>
        </div>
        <p class="field__hint">{tr!("Learners pay through the checkout; free courses enroll in one click.", "Ученики оплачивают курс при оформлении; на бесплатный курс записываются в один клик.")}</p>
    }
}

fn course_form(f: &FormFields) -> CourseForm {
    CourseForm {
        title: f.get("title"),
        slug: f.get("slug"),
        description: f.get("description"),
        outcomes: f.get("outcomes"),
        category: f.get("category"),
        level: f.get("level"),
        language: f.get("language"),
        price: f.get("price"),
        currency: f.get("currency"),
    }
}

/// The short form that starts a course (on "My courses").
#[component]
pub fn NewCourseForm() -> impl IntoView {
    let l = use_i18n();
    let result = RwSignal::new(None::<Result<(), AppError>>);
    let pending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = course_form(&FormFields::from_event(&ev));
        pending.set(true);
        leptos::task::spawn_local(async move {
            match create_course(form).await {
                Ok(id) => use_navigate()(&format!("/studio/courses/{id}"), Default::default()),
                Err(e) => result.set(Some(Err(e))),
            }
            pending.set(false);
        });
    };
    view! {
        <details class="card new-course">
            <summary class="button">{tr!("New course", "Новый курс")}</summary>
            <form class="form" on:submit=on_submit novalidate>
                <h2>{tr!("Start a course", "Новый курс")}</h2>
                <FormError msg=form_error(result, &["title", "slug", "category", "language", "price"]) />
                <div class="field">
                    <label for="course-title">{tr!("Title", "Название")}</label>
                    <input id="course-title" name="title" maxlength="120" required
                        placeholder=tr!("Python from scratch", "Python с нуля") />
                    <ErrorText msg=field_error(result, "title") />
                </div>
                <CourseSelects category=String::new() level=Level::Beginner language=l.get_untracked().code().to_string() result />
                <PriceFields price=String::new() currency="RUB".into() result />
                <button type="submit" class="button" disabled=move || pending.get()>{tr!("Create and continue", "Создать и продолжить")}</button>
            </form>
        </details>
    }
}

#[component]
pub fn CourseEditorPage() -> impl IntoView {
    let l = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|x| x.parse::<i64>().ok()).unwrap_or(0));
    let version = RwSignal::new(0u32);
    let draft = Resource::new(
        move || (id(), version.get()),
        |(id, _)| get_course_draft(id),
    );
    let reload = Callback::new(move |_: ()| version.update(|v| *v += 1));
    let open_lesson = RwSignal::new(None::<i64>);
    let notice = RwSignal::new(None::<Msg>);
    let saved = RwSignal::new(None::<Saved>);
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Edit course", "Редактирование курса").to_string()) description=Signal::derive(String::new)
            path=format!("/studio/courses/{}", id()) noindex=true />
        <section class="page studio course-editor">
            <p><a href="/studio/courses">{tr!("← My courses", "← Мои курсы")}</a></p>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match draft.await {
                        Ok(d) => view! { <Editor draft=d reload open_lesson notice saved /> }.into_any(),
                        Err(AppError::NotAuthenticated) => view! {
                            <div class="empty-state">
                                <p>{tr!("Log in to edit your courses.", "Войдите, чтобы редактировать свои курсы.")}</p>
                                <a class="button" href="/login?next=/studio/courses">{tr!("Log in", "Войти")}</a>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Editor(
    draft: CourseDraft,
    reload: Callback<()>,
    open_lesson: RwSignal<Option<i64>>,
    notice: RwSignal<Option<Msg>>,
    saved: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let id = draft.id;
    view! {
        <header class="page__header">
            <h1>{draft.title.clone()}</h1>
            <a class="button button--ghost" href=format!("/courses/{}", draft.slug)>{tr!("View the course page", "Открыть страницу курса")}</a>
        </header>
        <StatusBox draft=draft.clone() reload />
        <DetailsForm draft=draft.clone() reload saved />
        <CoverUploader course=id current=draft.cover_url.clone() />
        <Outline draft reload open_lesson notice saved />
    }
}

/// Where the course is in its lifecycle, the moderator's feedback, and the next step.
#[component]
fn StatusBox(draft: CourseDraft, reload: Callback<()>) -> impl IntoView {
    let l = use_i18n();
    let submit = ServerAction::<SubmitCourse>::new();
    let archive = ServerAction::<ArchiveCourse>::new();
    Effect::new(move |_| {
        if matches!(submit.value().get(), Some(Ok(())))
            || matches!(archive.value().get(), Some(Ok(())))
        {
            reload.run(());
        }
    });
    let status = draft.status;
    let changes = draft.changes_state.clone();
    let can_submit = status == Status::Draft
        || (status == Status::Published && matches!(changes.as_str(), "editing" | "returned"));
    let show_feedback = status == Status::Draft || changes == "returned";
    let id = draft.id;
    view! {
        <section class="card course-status" aria-labelledby="status-h">
            <h2 id="status-h">{tr!("Status", "Статус")}": "<span class="badge">{move || status.name(l.get())}</span></h2>
            <p>{match (status, changes.as_str()) {
                (Status::Draft, _) => tr!("Build the course, then send it for review. A moderator checks it before it goes online.",
                    "Соберите курс и отправьте на проверку. Модератор проверит его перед публикацией.").into_any(),
                (Status::Review, _) => tr!("A moderator is reviewing the course. You will get a notification.", "Модератор проверяет курс. Вы получите уведомление.").into_any(),
                (Status::Published, "editing") => tr!("The course is online. Your new title or description waits: send it for review.",
                    "Курс опубликован. Новое название или описание ждёт отправки на проверку.").into_any(),
                (Status::Published, "review") => tr!("The course is online; your changes to the title and description are being reviewed.",
                    "Курс опубликован; изменения названия и описания на проверке.").into_any(),
                (Status::Published, _) => tr!("The course is online. Lessons change at once; a new title or description goes through review.",
                    "Курс опубликован. Уроки меняются сразу; новое название или описание проходит проверку.").into_any(),
                (Status::Archived, _) => tr!("The course is archived: no new learners; enrolled learners keep access.",
                    "Курс в архиве: новые ученики не принимаются, записавшиеся сохраняют доступ.").into_any(),
            }}</p>
            {draft.review_feedback.clone().filter(|_| show_feedback).map(|f| view! {
                <div class="callout callout--review" role="note">
                    <strong>{tr!("Moderator's feedback:", "Замечания модератора:")}</strong>
                    <p class="pre-line">{f}</p>
                </div>
            })}
            <div class="callout__actions">
                {can_submit.then(|| view! {
                    <ActionForm action=submit>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button" disabled=move || submit.pending().get()>{tr!("Send for review", "Отправить на проверку")}</button>
                    </ActionForm>
                })}
                {(status == Status::Published).then(|| view! {
                    <ActionForm action=archive>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button button--ghost button--danger">{tr!("Archive the course", "Отправить курс в архив")}</button>
                    </ActionForm>
                })}
            </div>
            <FormError msg=form_error(submit.value(), &[]) />
            <FormError msg=form_error(archive.value(), &[]) />
        </section>
    }
}

/// Title, address, description, outcomes, category, level, language and price.
#[component]
fn DetailsForm(
    draft: CourseDraft,
    reload: Callback<()>,
    saved: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let result = RwSignal::new(None::<Result<(), AppError>>);
    let pending = RwSignal::new(false);
    let id = draft.id;
    let live = matches!(draft.status, Status::Published | Status::Archived);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = course_form(&FormFields::from_event(&ev));
        pending.set(true);
        saved.set(None);
        leptos::task::spawn_local(async move {
            let r = update_course(id, form).await;
            let ok = r.is_ok();
            result.set(Some(r));
            pending.set(false);
            if ok {
                saved.set(Some(Saved::Details));
                if live {
                    reload.run(());
                }
            }
        });
    };
    let shown = Signal::derive(move || saved.get() == Some(Saved::Details));
    view! {
        <section class="card" aria-labelledby="details-h">
            <h2 id="details-h">{tr!("Course details", "О курсе")}</h2>
            <form class="form" on:submit=on_submit novalidate>
                <FormError msg=form_error(result, &["title", "slug", "description", "outcomes", "category", "language", "price"]) />
                <div class="field">
                    <label for="course-title">{tr!("Title", "Название")}</label>
                    <input id="course-title" name="title" value=draft.title.clone() maxlength="120" required
                        aria-invalid=move || field_error(result, "title").get().is_some().then_some("true") />
                    <ErrorText msg=field_error(result, "title") />
                </div>
                <div class="field">
                    <label for="course-slug">{tr!("Address", "Адрес")}</label>
                    <div class="input-prefix"><span aria-hidden="true">"/courses/"</span>
                        <input id="course-slug" name="slug" value=draft.slug.clone() maxlength="60" aria-describedby="course-slug-hint" />
                    </div>
                    <p class="field__hint" id="course-slug-hint">{tr!("Latin letters, digits and hyphens. Changing it breaks shared links.", "Латинские буквы, цифры и дефисы. Смена адреса сломает опубликованные ссылки.")}</p>
                    <ErrorText msg=field_error(result, "slug") />
                </div>
                <div class="field">
                    <label for="course-description">{tr!("Description", "Описание")}</label>
                    <textarea id="course-description" name="description" rows="8" maxlength="10000">{draft.description.clone()}</textarea>
                    <p class="field__hint">{tr!("Markdown: **bold**, _italic_, lists, links.", "Markdown: **жирный**, _курсив_, списки, ссылки.")}</p>
                    <ErrorText msg=field_error(result, "description") />
                </div>
                <div class="field">
                    <label for="course-outcomes">{tr!("What learners will learn (one per line)", "Чему научатся ученики (по одному на строку)")}</label>
                    <textarea id="course-outcomes" name="outcomes" rows="4" maxlength="3000">{draft.outcomes.clone()}</textarea>
                    <ErrorText msg=field_error(result, "outcomes") />
                </div>
                <CourseSelects category=draft.category.clone() level=draft.level language=draft.language.clone() result />
                <PriceFields price=draft.price.clone() currency=draft.currency.clone() result />
                {live.then(|| view! { <p class="field__hint">{tr!("A new title or description is reviewed before learners see it.", "Новое название или описание ученики увидят после проверки.")}</p> })}
                <button type="submit" class="button" disabled=move || pending.get()>{tr!("Save details", "Сохранить")}</button>
                <Notice show=shown>{tr!("Saved.", "Сохранено.")}</Notice>
            </form>
        </section>
    }
}

/// The cover picker with a progress bar.
#[component]
fn CoverUploader(course: i64, current: Option<String>) -> impl IntoView {
    let l = use_i18n();
    let url = RwSignal::new(current);
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<Msg>);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            error.set(None);
            let done = Callback::new(move |r: Result<String, AppError>| match r {
                Ok(body) => url.set(
                    serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|v| {
                            v.get("cover_url")
                                .and_then(|u| u.as_str())
                                .map(String::from)
                        }),
                ),
                Err(e) => error.set(Some(e.msg())),
            });
            crate::ui::upload::post_file(
                &format!("/api/courses/{course}/cover"),
                "cover",
                &file,
                progress,
                done,
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, course);
    };
    view! {
        <section class="card cover-editor" aria-labelledby="cover-h">
            <h2 id="cover-h">{tr!("Cover", "Обложка")}</h2>
            {move || match url.get() {
                Some(u) => view! { <img class="course-cover" src=u alt=tr!("Course cover", "Обложка курса") width="640" height="360" /> }.into_any(),
                None => view! { <p class="muted">{tr!("No cover yet.", "Обложки пока нет.")}</p> }.into_any(),
            }}
            <label class="button button--ghost" for="cover-file">{tr!("Choose an image", "Выбрать изображение")}</label>
            <input id="cover-file" class="visually-hidden" type="file" accept="image/jpeg,image/png,image/webp" on:change=on_change
                aria-label=tr!("Cover image", "Изображение обложки") />
            <p class="field__hint">{tr!("JPEG, PNG or WebP up to 5 MB; cropped to 16:9.", "JPEG, PNG или WebP до 5 МБ; обрезается до 16:9.")}</p>
            {move || progress.get().map(|p| view! { <progress max="100" value=format!("{p:.0}") aria-label=tr!("Uploading the cover", "Загрузка обложки")></progress> })}
            {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
        </section>
    }
}

/// Moves a lesson one step (`up`), across section borders when at an edge.
fn move_lesson(layout: &Layout, lesson: i64, up: bool) -> Option<Layout> {
    let mut out = layout.clone();
    let si = out.iter().position(|(_, ls)| ls.contains(&lesson))?;
    let li = out[si].1.iter().position(|x| *x == lesson)?;
    if up {
        if li > 0 {
            out[si].1.swap(li, li - 1);
        } else if si > 0 {
            out[si].1.remove(0);
            out[si - 1].1.push(lesson);
        } else {
            return None;
        }
    } else if li + 1 < out[si].1.len() {
        out[si].1.swap(li, li + 1);
    } else if si + 1 < out.len() {
        out[si].1.pop();
        out[si + 1].1.insert(0, lesson);
    } else {
        return None;
    }
    Some(out)
}

fn move_section(layout: &Layout, section: i64, up: bool) -> Option<Layout> {
    let mut out = layout.clone();
    let i = out.iter().position(|(s, _)| *s == section)?;
    let j = if up { i.checked_sub(1)? } else { i + 1 };
    if j >= out.len() {
        return None;
    }
    out.swap(i, j);
    Some(out)
}

/// Puts `lesson` before `before` (or at the end of `section` when `before` is `None`).
fn drop_lesson(layout: &Layout, lesson: i64, section: i64, before: Option<i64>) -> Option<Layout> {
    if before == Some(lesson) {
        return None;
    }
    let mut out = layout.clone();
    for (_, ls) in out.iter_mut() {
        ls.retain(|x| *x != lesson);
    }
    let target = out.iter_mut().find(|(s, _)| *s == section)?;
    let at = before
        .and_then(|b| target.1.iter().position(|x| *x == b))
        .unwrap_or(target.1.len());
    target.1.insert(at, lesson);
    (out != *layout).then_some(out)
}

#[derive(Clone, Copy, PartialEq)]
enum Drag {
    Lesson(i64),
    Section(i64),
}

/// Focuses an element by id once the list has re-rendered (keyboard reordering keeps focus).
fn focus_later(id: String) {
    #[cfg(feature = "hydrate")]
    leptos::prelude::request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
        {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Sections and lessons: add, rename, delete, reorder (drag, buttons, Alt+↑/↓), edit a lesson.
#[component]
fn Outline(
    draft: CourseDraft,
    reload: Callback<()>,
    open_lesson: RwSignal<Option<i64>>,
    notice: RwSignal<Option<Msg>>,
    saved: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let l = use_i18n();
    let course = draft.id;
    let layout = RwSignal::new(
        draft
            .sections
            .iter()
            .map(|s| (s.id, s.lessons.iter().map(|x| x.id).collect()))
            .collect::<Layout>(),
    );
    let version = RwSignal::new(draft.structure_version);
    let sections = StoredValue::new(
        draft
            .sections
            .iter()
            .map(|s| (s.id, s.title.clone()))
            .collect::<Vec<_>>(),
    );
    let lessons = StoredValue::new(
        draft
            .sections
            .iter()
            .flat_map(|s| s.lessons.clone())
            .collect::<Vec<DraftLesson>>(),
    );
    let dragging = RwSignal::new(None::<Drag>);
    let saving = RwSignal::new(false);
    // Moves apply at once; the server gets them one request at a time, each naming the version the
    // previous one produced. A refusal puts back the last order the server accepted.
    let confirmed = StoredValue::new(layout.get_untracked());
    let dirty = RwSignal::new(false);
    let send = move || {
        saving.set(true);
        leptos::task::spawn_local(async move {
            loop {
                dirty.set(false);
                let want = layout.get_untracked();
                match reorder_course(course, version.get_untracked(), want.clone()).await {
                    Ok(v) => {
                        version.set(v);
                        confirmed.set_value(want);
                        if !dirty.get_untracked() {
                            break;
                        }
                    }
                    Err(e) => {
                        layout.set(confirmed.get_value());
                        notice.set(Some(e.msg()));
                        if matches!(e, AppError::Conflict(_)) {
                            reload.run(());
                        }
                        break;
                    }
                }
            }
            saving.set(false);
        });
    };
    let apply = move |new: Layout, focus: Option<String>| {
        layout.set(new);
        notice.set(None);
        if let Some(f) = focus {
            focus_later(f);
        }
        if saving.get_untracked() {
            dirty.set(true);
        } else {
            send();
        }
    };
    let add_section = ServerAction::<AddSection>::new();
    let add_lesson = ServerAction::<AddLesson>::new();
    let rename = ServerAction::<RenameSection>::new();
    let delete_section = ServerAction::<DeleteSection>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = add_lesson.value().get() {
            open_lesson.set(Some(id));
            reload.run(());
        }
    });
    Effect::new(move |_| {
        if matches!(add_section.value().get(), Some(Ok(_)))
            || matches!(delete_section.value().get(), Some(Ok(())))
            || matches!(rename.value().get(), Some(Ok(())))
        {
            reload.run(());
        }
    });
    let title_of = move |id: i64| {
        lessons.with_value(|ls| {
            ls.iter()
                .find(|x| x.id == id)
                .map(|x| x.title.clone())
                .unwrap_or_default()
        })
    };
    let section_title = move |id: i64| {
        sections.with_value(|ss| {
            ss.iter()
                .find(|s| s.0 == id)
                .map(|s| s.1.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="card outline" aria-labelledby="outline-h">
            <h2 id="outline-h">{tr!("Sections and lessons", "Разделы и уроки")}</h2>
            <p class="outline__exam"><crate::quizzes::components::EditQuizLink course lesson=None /></p>
            <p class="field__hint">{tr!(
                "Drag lessons and sections to reorder them, or focus the handle and press Alt+↑ / Alt+↓.",
                "Перетаскивайте уроки и разделы, чтобы изменить порядок, или выберите ручку и нажимайте Alt+↑ / Alt+↓."
            )}</p>
            {move || notice.get().map(|m| view! { <div class="form-error" role="alert">{m.text(l.get())}</div> })}
            <p class="visually-hidden" role="status" aria-live="polite">{move || if saving.get() { l.get().pick("Saving the order…", "Сохраняем порядок…") } else { "" }}</p>
            <ol class="outline__sections">
                {move || {
                    let lay = layout.get();
                    let n = lay.len();
                    lay.into_iter().enumerate().map(|(si, (sid, lids))| {
                        let stitle = section_title(sid);
                        let st2 = stitle.clone();
                        let st3 = stitle.clone();
                        let count = lids.len();
                        view! {
                            <li class="outline__section" class:outline__section--target=move || matches!(dragging.get(), Some(Drag::Section(x)) if x != sid)
                                on:dragover=move |ev| if dragging.get_untracked().is_some() { ev.prevent_default() }
                                on:drop=move |ev| {
                                    ev.prevent_default();
                                    let lay = layout.get_untracked();
                                    let new = match dragging.get_untracked() {
                                        Some(Drag::Lesson(lid)) => drop_lesson(&lay, lid, sid, None),
                                        Some(Drag::Section(s)) if s != sid => {
                                            let mut out = lay.clone();
                                            let from = out.iter().position(|x| x.0 == s);
                                            from.map(|f| {
                                                let item = out.remove(f);
                                                let to = out.iter().position(|x| x.0 == sid).unwrap_or(out.len());
                                                out.insert(to, item);
                                                out
                                            })
                                        }
                                        _ => None,
                                    };
                                    dragging.set(None);
                                    if let Some(new) = new { apply(new, None) }
                                }>
                                <div class="outline__section-head">
                                    <button type="button" class="outline__handle" id=format!("section-handle-{sid}") draggable="true"
                                        aria-label=move || format!("{} «{}». Alt+↑/↓", l.get().pick("Move section", "Переместить раздел"), st2)
                                        on:dragstart=move |ev| {
                                            dragging.set(Some(Drag::Section(sid)));
                                            #[cfg(feature = "hydrate")]
                                            if let Some(dt) = ev.data_transfer() { let _ = dt.set_data("text/plain", &format!("section-{sid}")); }
                                            #[cfg(not(feature = "hydrate"))]
                                            let _ = ev;
                                        }
                                        on:dragend=move |_| dragging.set(None)
                                        on:keydown=move |ev| {
                                            if !ev.alt_key() { return; }
                                            let up = match ev.key().as_str() { "ArrowUp" => true, "ArrowDown" => false, _ => return };
                                            ev.prevent_default();
                                            if let Some(new) = move_section(&layout.get_untracked(), sid, up) { apply(new, Some(format!("section-handle-{sid}"))) }
                                        }>"⠿"</button>
                                    <ActionForm action=rename attr:class="outline__rename">
                                        <input type="hidden" name="course" value=course />
                                        <input type="hidden" name="id" value=sid />
                                        <label class="visually-hidden" for=format!("section-title-{sid}")>{tr!("Section title", "Название раздела")}</label>
                                        <input id=format!("section-title-{sid}") name="title" value=stitle.clone() maxlength="120" />
                                        <button type="submit" class="button button--ghost button--small">{tr!("Rename", "Переименовать")}</button>
                                    </ActionForm>
                                    <span class="outline__moves">
                                        <button type="button" class="icon-button" disabled=si == 0
                                            aria-label=move || format!("{} «{}»", l.get().pick("Move section up", "Раздел выше"), st3)
                                            on:click=move |_| if let Some(new) = move_section(&layout.get_untracked(), sid, true) { apply(new, None) }>"↑"</button>
                                        <button type="button" class="icon-button" disabled=si + 1 == n
                                            aria-label=move || format!("{} «{}»", l.get().pick("Move section down", "Раздел ниже"), section_title(sid))
                                            on:click=move |_| if let Some(new) = move_section(&layout.get_untracked(), sid, false) { apply(new, None) }>"↓"</button>
                                        <ActionForm action=delete_section>
                                            <input type="hidden" name="course" value=course />
                                            <input type="hidden" name="id" value=sid />
                                            <button type="submit" class="icon-button button--danger"
                                                aria-label=move || format!("{} «{}»", l.get().pick("Delete section", "Удалить раздел"), section_title(sid))
                                                on:click=move |ev| if !confirm(l.get_untracked().pick("Delete the section and its lessons?", "Удалить раздел вместе с уроками?")) { ev.prevent_default() }>"✕"</button>
                                        </ActionForm>
                                    </span>
                                </div>
                                <ol class="outline__lessons" aria-label=move || section_title(sid)>
                                    {lids.into_iter().enumerate().map(|(li, lid)| {
                                        let t = title_of(lid);
                                        let t2 = t.clone();
                                        let info = lessons.with_value(|ls| ls.iter().find(|x| x.id == lid).cloned());
                                        let first = si == 0 && li == 0;
                                        let last = si + 1 == n && li + 1 == count;
                                        view! {
                                            <li class="outline__lesson" id=format!("lesson-row-{lid}")
                                                class:outline__lesson--dragging=move || dragging.get() == Some(Drag::Lesson(lid))
                                                on:dragover=move |ev| if matches!(dragging.get_untracked(), Some(Drag::Lesson(_))) { ev.prevent_default() }
                                                on:drop=move |ev| {
                                                    ev.prevent_default();
                                                    ev.stop_propagation();
                                                    if let Some(Drag::Lesson(d)) = dragging.get_untracked() {
                                                        dragging.set(None);
                                                        if let Some(new) = drop_lesson(&layout.get_untracked(), d, sid, Some(lid)) { apply(new, None) }
                                                    }
                                                }>
                                                <div class="outline__lesson-row">
                                                    <button type="button" class="outline__handle" id=format!("lesson-handle-{lid}") draggable="true"
                                                        aria-label=move || format!("{} «{}». Alt+↑/↓", l.get().pick("Move lesson", "Переместить урок"), t2)
                                                        on:dragstart=move |ev| {
                                                            dragging.set(Some(Drag::Lesson(lid)));
                                                            #[cfg(feature = "hydrate")]
                                                            if let Some(dt) = ev.data_transfer() { let _ = dt.set_data("text/plain", &format!("lesson-{lid}")); }
                                                            #[cfg(not(feature = "hydrate"))]
                                                            let _ = ev;
                                                        }
                                                        on:dragend=move |_| dragging.set(None)
                                                        on:keydown=move |ev| {
                                                            if !ev.alt_key() { return; }
                                                            let up = match ev.key().as_str() { "ArrowUp" => true, "ArrowDown" => false, _ => return };
                                                            ev.prevent_default();
                                                            if let Some(new) = move_lesson(&layout.get_untracked(), lid, up) { apply(new, Some(format!("lesson-handle-{lid}"))) }
                                                        }>"⠿"</button>
                                                    <span class="outline__title">{t.clone()}</span>
                                                    {info.as_ref().filter(|x| x.video.is_some()).map(|_| view! { <span class="badge">{tr!("video", "видео")}</span> })}
                                                    {info.as_ref().filter(|x| x.free_preview).map(|_| view! { <span class="badge">{tr!("free preview", "бесплатный")}</span> })}
                                                    <span class="outline__moves">
                                                        <button type="button" class="icon-button" disabled=first
                                                            aria-label={let t = t.clone(); move || format!("{} «{t}»", l.get().pick("Move lesson up", "Урок выше"))}
                                                            on:click=move |_| if let Some(new) = move_lesson(&layout.get_untracked(), lid, true) { apply(new, None) }>"↑"</button>
                                                        <button type="button" class="icon-button" disabled=last
                                                            aria-label={let t = t.clone(); move || format!("{} «{t}»", l.get().pick("Move lesson down", "Урок ниже"))}
                                                            on:click=move |_| if let Some(new) = move_lesson(&layout.get_untracked(), lid, false) { apply(new, None) }>"↓"</button>
                                                        <button type="button" class="button button--ghost button--small"
                                                            aria-expanded=move || (open_lesson.get() == Some(lid)).to_string()
                                                            aria-controls=format!("lesson-editor-{lid}")
                                                            aria-label={let t = t.clone(); move || format!("{} «{t}»", l.get().pick("Edit lesson", "Редактировать урок"))}
                                                            on:click=move |_| open_lesson.update(|o| *o = if *o == Some(lid) { None } else { Some(lid) })>
                                                            {tr!("Edit", "Изменить")}
                                                        </button>
                                                    </span>
                                                </div>
                                                {move || (open_lesson.get() == Some(lid)).then(|| info.clone().map(|lesson| view! { <LessonEditor course lesson reload saved /> }))}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                                <ActionForm action=add_lesson attr:class="form--inline outline__add">
                                    <input type="hidden" name="course" value=course />
                                    <input type="hidden" name="section" value=sid />
                                    <label for=format!("new-lesson-{sid}")>{tr!("New lesson", "Новый урок")}</label>
                                    <input id=format!("new-lesson-{sid}") name="title" maxlength="120" required />
                                    <button type="submit" class="button button--ghost button--small">{tr!("Add lesson", "Добавить урок")}</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <ErrorText msg=field_error(add_lesson.value(), "title") />
            <FormError msg=form_error(rename.value(), &[]) />
            <ActionForm action=add_section attr:class="form--inline outline__add">
                <input type="hidden" name="course" value=course />
                <label for="new-section">{tr!("New section", "Новый раздел")}</label>
                <input id="new-section" name="title" maxlength="120" required />
                <button type="submit" class="button button--small">{tr!("Add section", "Добавить раздел")}</button>
            </ActionForm>
            <ErrorText msg=field_error(add_section.value(), "title") />
        </section>
    }
}

/// A browser confirmation (always yes on the server, where it is never called).
fn confirm(text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(text).ok())
            .unwrap_or(true)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        true
    }
}

/// Title, Markdown text, video (choose or upload), free preview, attachments.
#[component]
fn LessonEditor(
    course: i64,
    lesson: DraftLesson,
    reload: Callback<()>,
    saved: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let l = use_i18n();
    let lid = lesson.id;
    let result = RwSignal::new(None::<Result<(), AppError>>);
    let video = RwSignal::new(lesson.video.clone().unwrap_or_default());
    let videos = Resource::new(|| (), |_| crate::video::api::list_my_videos(String::new()));
    let limits = Resource::new(|| (), |_| crate::video::api::video_limits());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let delete = ServerAction::<DeleteLesson>::new();
    let delete_file = ServerAction::<DeleteAttachment>::new();
    let file_progress = RwSignal::new(None::<f64>);
    let file_error = RwSignal::new(None::<Msg>);
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(())))
            || matches!(delete_file.value().get(), Some(Ok(())))
        {
            reload.run(());
        }
    });
    let save = move |fields: FormFields| {
        let (title, body, free) = (
            fields.get("title"),
            fields.get("body"),
            fields.checked("free_preview"),
        );
        let v = video.get_untracked();
        saved.set(None);
        leptos::task::spawn_local(async move {
            let r = update_lesson(course, lid, title, body, v, free).await;
            let ok = r.is_ok();
            result.set(Some(r));
            if ok {
                saved.set(Some(Saved::Lesson(lid)));
                reload.run(());
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(FormFields::from_event(&ev));
    };
    // A new upload is attached at once (with whatever else the form holds).
    let on_uploaded = Callback::new(move |public_id: String| {
        video.set(public_id);
        videos.refetch();
        #[cfg(feature = "hydrate")]
        if let Some(f) = form_ref.get_untracked() {
            save(FormFields::from_form(&f));
        }
    });
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            file_error.set(None);
            if file.size() > super::ATTACHMENT_MAX_BYTES as f64 {
                file_error.set(Some(Msg::Course(super::CourseMsg::AttachmentTooBig {
                    max_mb: (super::ATTACHMENT_MAX_BYTES / (1024 * 1024)) as u32,
                })));
                return;
            }
            let done = Callback::new(move |r: Result<String, AppError>| match r {
                Ok(_) => reload.run(()),
                Err(e) => file_error.set(Some(e.msg())),
            });
            crate::ui::upload::post_file(
                &format!("/api/courses/{course}/lessons/{lid}/attachments"),
                "file",
                &file,
                file_progress,
                done,
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let shown = Signal::derive(move || saved.get() == Some(Saved::Lesson(lid)));
    view! {
        <div class="lesson-editor" id=format!("lesson-editor-{lid}")>
            <form class="form" node_ref=form_ref on:submit=on_submit novalidate>
                <FormError msg=form_error(result, &["title", "body", "video"]) />
                <div class="field">
                    <label for=format!("lesson-title-{lid}")>{tr!("Lesson title", "Название урока")}</label>
                    <input id=format!("lesson-title-{lid}") name="title" value=lesson.title.clone() maxlength="120" required />
                    <ErrorText msg=field_error(result, "title") />
                </div>
                <div class="field">
                    <label for=format!("lesson-body-{lid}")>{tr!("Lesson text", "Текст урока")}</label>
                    <textarea id=format!("lesson-body-{lid}") name="body" rows="10" maxlength="50000">{lesson.body.clone()}</textarea>
                    <p class="field__hint">{tr!("Markdown: headings, **bold**, lists, links, `code`, images: ![text](https://…).", "Markdown: заголовки, **жирный**, списки, ссылки, `код`, картинки: ![текст](https://…).")}</p>
                    <ErrorText msg=field_error(result, "body") />
                </div>
                <div class="field">
                    <label for=format!("lesson-video-{lid}")>{tr!("Video", "Видео")}</label>
                    <select id=format!("lesson-video-{lid}") prop:value=move || video.get()
                        on:change=move |ev| video.set(event_target_value(&ev))>
                        <option value="">{tr!("No video", "Без видео")}</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                let list = videos.await.unwrap_or_default();
                                let current = video.get_untracked();
                                list.into_iter()
                                    .filter(|v| matches!(v.status, crate::video::Status::Ready | crate::video::Status::Processing) || v.public_id == current)
                                    .map(|v| {
                                        let selected = v.public_id == current;
                                        view! { <option value=v.public_id.clone() selected=selected>{v.title.clone()}</option> }
                                    })
                                    .collect_view()
                            })}
                        </Transition>
                    </select>
                    <ErrorText msg=field_error(result, "video") />
                    <p class="field__hint">{tr!("Lesson videos are shown only to enrolled learners (and to everyone in a free preview).",
                        "Видео урока видят только записавшиеся ученики (и все — в бесплатном уроке).")}</p>
                </div>
                <label class="check">
                    <input type="checkbox" name="free_preview" value="1" checked=lesson.free_preview />
                    <span>{tr!("Free preview: anyone can open this lesson", "Бесплатный урок: открыт всем")}</span>
                </label>
                <div class="callout__actions">
                    <button type="submit" class="button">{tr!("Save lesson", "Сохранить урок")}</button>
                </div>
                <Notice show=shown>{tr!("Lesson saved.", "Урок сохранён.")}</Notice>
            </form>
            <details class="lesson-editor__upload">
                <summary>{tr!("Upload a new video for this lesson", "Загрузить новое видео для урока")}</summary>
                // Not `Load`: without its limits the uploader still shows, with the default ones.
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let (max_bytes, max_seconds) = limits.await.unwrap_or((2 << 30, 3 * 3600));
                        view! { <crate::video::components::VideoUploader max_bytes max_seconds on_done=on_uploaded /> }
                    })}
                </Suspense>
            </details>
            <section class="lesson-editor__files" aria-label=tr!("Attachments", "Материалы")>
                <h3>{tr!("Attachments", "Материалы")}</h3>
                <ul>
                    {lesson.attachments.clone().into_iter().map(|a| {
                        let name = a.name.clone();
                        view! {
                            <li>
                                <a href=a.url.clone()>{a.name.clone()}</a>" "<span class="muted">{move || crate::ui::format_size(a.size_bytes, l.get())}</span>
                                <ActionForm action=delete_file>
                                    <input type="hidden" name="course" value=course />
                                    <input type="hidden" name="id" value=a.id />
                                    <button type="submit" class="link-button link-button--danger"
                                        aria-label=move || format!("{} {name}", l.get().pick("Remove", "Удалить"))>{tr!("Remove", "Удалить")}</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <label class="button button--ghost button--small" for=format!("lesson-file-{lid}")>{tr!("Attach a file", "Прикрепить файл")}</label>
                <input id=format!("lesson-file-{lid}") class="visually-hidden" type="file" on:change=on_file
                    accept=".pdf,.ppt,.pptx,.doc,.docx,.xls,.xlsx,.odt,.odp,.ods,.zip,.7z,.rar,.gz,.epub"
                    aria-label=tr!("Attach a file", "Прикрепить файл") />
                <p class="field__hint">{tr!("PDF, slides, documents or archives, up to 50 MB.", "PDF, презентации, документы или архивы, до 50 МБ.")}</p>
                {move || file_progress.get().map(|p| view! { <progress max="100" value=format!("{p:.0}") aria-label=tr!("Uploading the file", "Загрузка файла")></progress> })}
                {move || file_error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
            </section>
            <p class="lesson-editor__quiz"><crate::quizzes::components::EditQuizLink course lesson=Some(lid) /></p>
            <ActionForm action=delete attr:class="lesson-editor__delete">
                <input type="hidden" name="course" value=course />
                <input type="hidden" name="id" value=lid />
                <button type="submit" class="button button--ghost button--danger"
                    on:click=move |ev| if !confirm(l.get_untracked().pick("Delete this lesson?", "Удалить этот урок?")) { ev.prevent_default() }>
                    {tr!("Delete lesson", "Удалить урок")}
                </button>
            </ActionForm>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_move_within_and_across_sections() {
        let lay: Layout = vec![(1, vec![10, 11]), (2, vec![20])];
        assert_eq!(
            move_lesson(&lay, 11, true),
            Some(vec![(1, vec![11, 10]), (2, vec![20])])
        );
        assert_eq!(
            move_lesson(&lay, 11, false),
            Some(vec![(1, vec![10]), (2, vec![11, 20])])
        );
        assert_eq!(
            move_lesson(&lay, 20, true),
            Some(vec![(1, vec![10, 11, 20]), (2, vec![])])
        );
        assert_eq!(move_lesson(&lay, 10, true), None);
        assert_eq!(move_lesson(&lay, 20, false), None);
        assert_eq!(
            move_section(&lay, 2, true),
            Some(vec![(2, vec![20]), (1, vec![10, 11])])
        );
        assert_eq!(move_section(&lay, 2, false), None);
        assert_eq!(
            drop_lesson(&lay, 20, 1, Some(10)),
            Some(vec![(1, vec![20, 10, 11]), (2, vec![])])
        );
        assert_eq!(
            drop_lesson(&lay, 10, 2, None),
            Some(vec![(1, vec![11]), (2, vec![20, 10])])
        );
        assert_eq!(drop_lesson(&lay, 10, 1, Some(10)), None);
    }
}
