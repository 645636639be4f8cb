//! The composer of a new post.

use crate::feed::api::CreatePost;
use crate::tr;
use crate::ui::{FormError, Load};
use leptos::prelude::*;

/// The composer of a new post (tutors): text, tags, and one of their videos.
#[component]
pub fn PostComposer(on_posted: Callback<i64>) -> impl IntoView {
    let action = ServerAction::<CreatePost>::new();
    let value = action.value();
    let videos = Resource::new(|| (), |_| crate::video::api::list_my_videos(String::new()));
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = value.get() {
            if let Some(f) = form_ref.get() {
                f.reset();
            }
            on_posted.run(id);
        }
    });
    view! {
        <section class="card composer">
            <h2 class="visually-hidden">{tr!("New post", "Новая публикация")}</h2>
            <ActionForm action=action node_ref=form_ref attr:class="form" attr:novalidate=true>
                <FormError msg=crate::ui::form_error(value, &["body", "tags", "video"]) />
                <div class="field">
                    <label for="post-body">{tr!("What are you teaching today?", "Чему вы учите сегодня?")}</label>
                    <textarea id="post-body" name="body" rows="4" maxlength="5000"
                        aria-invalid=move || crate::ui::field_error(value, "body").get().is_some().then_some("true")></textarea>
                    <crate::ui::ErrorText msg=crate::ui::field_error(value, "body") />
                    <p class="field__hint">{tr!("Markdown: **bold**, _italic_, `code`, lists and links.", "Markdown: **жирный**, _курсив_, `код`, списки и ссылки.")}</p>
                </div>
                <div class="form__row">
                    <div class="field">
                        <label for="post-tags">{tr!("Tags (up to 5)", "Теги (до 5)")}</label>
                        <input id="post-tags" name="tags" placeholder=tr!("math, exam-prep", "математика, егэ") />
                        <crate::ui::ErrorText msg=crate::ui::field_error(value, "tags") />
                    </div>
                    <div class="field">
                        <label for="post-video">{tr!("Video", "Видео")}</label>
                        <select id="post-video" name="video">
                            <option value="">{tr!("No video", "Без видео")}</option>
                            <Load resource=videos quiet=true let:list>
                                {list.into_iter()
                                    .filter(|v| matches!(v.status, crate::video::Status::Ready | crate::video::Status::Processing))
                                    .map(|v| view! { <option value=v.public_id.clone()>{v.title.clone()}</option> })
                                    .collect_view()}
                            </Load>
                        </select>
                        <crate::ui::ErrorText msg=crate::ui::field_error(value, "video") />
                    </div>
                </div>
                <button type="submit" class="button" disabled=move || action.pending().get()>{tr!("Publish", "Опубликовать")}</button>
            </ActionForm>
        </section>
    }
}
