//! Form pieces: labelled fields with their error, the form-wide error, reading a submitted form.

use crate::error::{AppError, Msg};
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The error a field should show, from the last result of an action.
pub fn field_error<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    field: &'static str,
) -> Signal<Option<Msg>> {
    Signal::derive(move || match value.get() {
        Some(Err(e)) => e.field_msg(field),
        _ => None,
    })
}

/// The form-wide error of the last result of an action (errors that name no field of the form).
pub fn form_error<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    fields: &'static [&'static str],
) -> Signal<Option<Msg>> {
    Signal::derive(move || match value.get() {
        Some(Err(AppError::Validation(list))) => list
            .iter()
            .find(|e| !fields.contains(&e.field.as_str()))
            .map(|e| e.msg),
        Some(Err(e)) => Some(e.msg()),
        _ => None,
    })
}

/// A message under a field or at the top of a form, announced to screen readers.
#[component]
pub fn ErrorText(
    #[prop(into)] msg: Signal<Option<Msg>>,
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    let l = use_i18n();
    view! {
        <Show when=move || msg.get().is_some()>
            <p class="field__error" id=id role="alert">{move || msg.get().map(|m| m.text(l.get()))}</p>
        </Show>
    }
}

/// The form-wide error box.
#[component]
pub fn FormError(#[prop(into)] msg: Signal<Option<Msg>>) -> impl IntoView {
    let l = use_i18n();
    let location = leptos_router::hooks::use_location();
    let current_path = move || location.pathname.get();
    view! {
        <Show when=move || msg.get().is_some()>
            <div class="form-error" role="alert">
                {move || msg.get().map(|m| m.text(l.get()))}
                {move || (msg.get() == Some(Msg::EmailUnconfirmed)).then(|| view! {
                    " "<a href=move || format!("/confirm?next={}", crate::url::path(&current_path()))>
                        {crate::tr!("Confirm it or get a new code", "Подтвердить или получить новый код")}
                    </a>
                })}
            </div>
        </Show>
    }
}

/// A success note.
#[component]
pub fn Notice(#[prop(into)] show: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    view! {
        <Show when=move || show.get()>
            <div class="notice" role="status">{children()}</div>
        </Show>
    }
}

/// A labelled input with its error message.
#[component]
pub fn TextField(
    #[prop(into)] label: Signal<&'static str>,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] value: Signal<String>,
    #[prop(into, optional)] error: Signal<Option<Msg>>,
    #[prop(into, optional)] hint: Option<Signal<&'static str>>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] inputmode: &'static str,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("f-{name}-error");
    let hint_id = format!("f-{name}-hint");
    let has_hint = hint.is_some();
    let described = {
        let err_id = err_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(err_id.clone());
            }
            if ids.is_empty() {
                None
            } else {
                Some(ids.join(" "))
            }
        }
    };
    let l = use_i18n();
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                required=required
                maxlength=maxlength
                prop:value=move || value.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{move || h.get()}</p> })}
            <Show when=move || error.get().is_some()>
                <p class="field__error" id=err_id.clone()>{move || error.get().map(|m| m.text(l.get()))}</p>
            </Show>
        </div>
    }
}

/// The values of a submitted form (read in the browser; empty on the server).
pub struct FormFields {
    #[cfg(feature = "hydrate")]
    data: Option<web_sys::FormData>,
}

impl FormFields {
    /// Reads the form that fired a submit event.
    pub fn from_event(ev: &leptos::ev::SubmitEvent) -> Self {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let data = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|f| web_sys::FormData::new_with_form(&f).ok());
            FormFields { data }
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = ev;
            FormFields {}
        }
    }

    /// Reads a form element.
    #[cfg(feature = "hydrate")]
    pub fn from_form(form: &web_sys::HtmlFormElement) -> Self {
        FormFields {
            data: web_sys::FormData::new_with_form(form).ok(),
        }
    }

    /// One value ("" when missing).
    pub fn get(&self, name: &str) -> String {
        #[cfg(feature = "hydrate")]
        {
            self.data
                .as_ref()
                .and_then(|d| d.get(name).as_string())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = name;
            String::new()
        }
    }

    /// Every value of a repeated name (checkboxes).
    pub fn get_all(&self, name: &str) -> Vec<String> {
        #[cfg(feature = "hydrate")]
        {
            self.data
                .as_ref()
                .map(|d| {
                    d.get_all(name)
                        .iter()
                        .filter_map(|v| v.as_string())
                        .collect()
                })
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = name;
            Vec::new()
        }
    }

    /// Whether a checkbox is ticked.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}
