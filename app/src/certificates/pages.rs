//! Certificate pages: "My certificates" and the public verification page of one certificate.

use super::api::{RevokeCertificate, my_certificates, verify_certificate};
use super::{CertificateItem, CertificateView};
use crate::error::AppError;
use crate::i18n::{Locale, use_i18n};
use crate::layout::{ErrorPanel, NotFoundPage};
use crate::tr;
use crate::ui::{FormError, JsonLd, Load, Seo, format_date};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// schema.org data of a certificate: an `EducationalOccupationalCredential` about its course.
fn credential_json_ld(c: &CertificateView, base: &str) -> serde_json::Value {
    let issued = chrono::DateTime::from_timestamp_millis(c.issued_at)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": format!("Certificate of completion: {}", c.course_title),
        "identifier": c.code,
        "url": format!("{base}/certificates/{}", c.code),
        "credentialCategory": "certificate",
        "dateCreated": issued,
        "recognizedBy": { "@type": "Organization", "name": "Tutorium", "url": base },
        "about": {
            "@type": "Course",
            "name": c.course_title,
            "url": format!("{base}/courses/{}", c.course_slug),
            "provider": { "@type": "Organization", "name": "Tutorium", "url": base },
        },
    });
    if let Some((at, _)) = &c.revoked
        && let Some(d) = chrono::DateTime::from_timestamp_millis(*at)
    {
        v["expires"] = serde_json::Value::String(d.format("%Y-%m-%d").to_string());
    }
    v
}

/// `/certificates`: the signed-in learner's certificates.
#[component]
pub fn MyCertificatesPage() -> impl IntoView {
    let l = use_i18n();
    let list = Resource::new(|| (), |_| my_certificates());
    view! {
        <Seo title=Signal::derive(move || l.get().pick("My certificates", "Мои сертификаты").to_string())
            description=Signal::derive(String::new) path="/certificates" noindex=true />
        <section class="page certificates">
            <h1>{tr!("My certificates", "Мои сертификаты")}</h1>
            <Load resource=list login=tr!("Log in to see your certificates.", "Войдите, чтобы увидеть свои сертификаты.") next="/certificates" let:items>
                {if items.is_empty() {
                    view! {
                        <div class="empty-state">
                            <p>{tr!("No certificates yet. Complete every lesson of a course and pass its final exam to earn one.",
                                "Сертификатов пока нет. Пройдите все уроки курса и сдайте итоговый экзамен, чтобы получить сертификат.")}</p>
                            <a class="button" href="/learning">{tr!("My learning", "Моё обучение")}</a>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <ul class="certificate-list">
                            {items.into_iter().map(|i| view! { <CertificateRow item=i /> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Load>
        </section>
    }
}

#[component]
fn CertificateRow(item: CertificateItem) -> impl IntoView {
    let l = use_i18n();
    let i = item;
    let issued = i.issued_at;
    let score = i.score_percent;
    let verify = format!("/certificates/{}", i.code);
    view! {
        <li class="certificate-list__item card">
            <h2 class="certificate-list__title"><a href=format!("/courses/{}", i.course_slug)>{i.course_title.clone()}</a></h2>
            <p class="muted">{move || match l.get() {
                Locale::En => format!("Issued {} · final exam {score}%", format_date(issued, Locale::En)),
                Locale::Ru => format!("Выдан {} · итоговый экзамен {score}%", format_date(issued, Locale::Ru)),
            }}</p>
            <p class="certificate-list__code"><code>{i.code.clone()}</code></p>
            {i.revoked.then(|| view! { <p class="callout">{tr!("This certificate was revoked.", "Этот сертификат отозван.")}</p> })}
            <p class="certificate-list__actions">
                {(!i.revoked).then(|| view! {
                    <a class="button" href=i.pdf_url.clone() download="" rel="external">{tr!("Download PDF", "Скачать PDF")}</a>
                })}
                <a class="button button--ghost" href=verify>{tr!("Verification page", "Страница проверки")}</a>
            </p>
        </li>
    }
}

/// `/certificates/:code`: the public verification page.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let revoke = ServerAction::<RevokeCertificate>::new();
    let cert = Resource::new(
        move || (code(), revoke.version().get()),
        |(code, _)| verify_certificate(code),
    );
    let error = |e: AppError| match e {
        AppError::NotFound => view! { <NotFoundPage/> }.into_any(),
        e => view! { <ErrorPanel error=e /> }.into_any(),
    };
    view! {
        <Load resource=cert error let:c>
            <CertificateDetails cert=c revoke />
        </Load>
    }
}

#[component]
fn CertificateDetails(
    cert: CertificateView,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    let l = use_i18n();
    let base = crate::ui::base_url();
    let json = credential_json_ld(&cert, &base);
    let c = cert;
    let (name, course) = (c.learner_name.clone(), c.course_title.clone());
    let title = {
        let (name, course) = (name.clone(), course.clone());
        move || match l.get() {
            Locale::En => format!("Certificate: {name} — {course}"),
            Locale::Ru => format!("Сертификат: {name} — {course}"),
        }
    };
    let desc = {
        let (name, course) = (name.clone(), course.clone());
        move || match l.get() {
            Locale::En => format!("{name} completed the course “{course}” on Tutorium."),
            Locale::Ru => format!("{name} прошёл(а) курс «{course}» на Tutorium."),
        }
    };
    let issued = c.issued_at;
    let score = c.score_percent;
    let revoked = c.revoked.clone();
    let code = c.code.clone();
    view! {
        <Seo title=Signal::derive(title) description=Signal::derive(desc)
            path=format!("/certificates/{}", c.code) og_type="article" noindex=true />
        <JsonLd data=json />
        <article class="page page--narrow certificate">
            {match revoked.clone() {
                None => view! {
                    <p class="certificate__status certificate__status--valid" role="status">
                        <crate::ui::Icon kind=crate::ui::IconKind::Check />" "{tr!("Valid certificate", "Сертификат действителен")}
                    </p>
                }.into_any(),
                Some((at, reason)) => view! {
                    <p class="certificate__status certificate__status--revoked" role="status">
                        {move || match l.get() {
                            Locale::En => format!("This certificate was revoked: {reason}"),
                            Locale::Ru => format!("Этот сертификат отозван: {reason}"),
                        }}
                        " ("{move || format_date(at, l.get())}")"
                    </p>
                }.into_any(),
            }}
            <h1>{tr!("Certificate of completion", "Сертификат о прохождении курса")}</h1>
            <dl class="certificate__facts">
                <dt>{tr!("Learner", "Слушатель")}</dt>
                <dd class="certificate__name">{name}</dd>
                <dt>{tr!("Course", "Курс")}</dt>
                <dd>{if c.course_slug.is_empty() {
                    view! { <span>{course.clone()}</span> }.into_any()
                } else {
                    view! { <a href=format!("/courses/{}", c.course_slug)>{course.clone()}</a> }.into_any()
                }}</dd>
                <dt>{tr!("Tutor", "Преподаватель")}</dt>
                <dd>{c.tutor_name.clone()}</dd>
                <dt>{tr!("Issued", "Выдан")}</dt>
                <dd>{move || format_date(issued, l.get())}</dd>
                <dt>{tr!("Final exam", "Итоговый экзамен")}</dt>
                <dd>{format!("{score}%")}</dd>
                <dt>{tr!("Code", "Код")}</dt>
                <dd><code>{c.code.clone()}</code></dd>
            </dl>
            {revoked.is_none().then(|| view! {
                <p><a class="button" href=c.pdf_url.clone() download="" rel="external">{tr!("Download PDF", "Скачать PDF")}</a></p>
            })}
            {c.can_revoke.then(|| view! { <RevokeForm code=code.clone() revoke /> })}
        </article>
    }
}

/// Admins: revoke the certificate with a reason.
#[component]
fn RevokeForm(code: String, revoke: ServerAction<RevokeCertificate>) -> impl IntoView {
    let value = revoke.value();
    view! {
        <section class="callout" aria-labelledby="revoke-h">
            <h2 id="revoke-h">{tr!("Revoke this certificate", "Отозвать сертификат")}</h2>
            <ActionForm action=revoke attr:class="form">
                <input type="hidden" name="code" value=code />
                <div class="field">
                    <label for="revoke-reason">{tr!("Reason (shown on this page)", "Причина (будет видна на этой странице)")}</label>
                    <textarea id="revoke-reason" name="reason" rows="2" maxlength="500" required></textarea>
                    <crate::ui::ErrorText msg=crate::ui::field_error(value, "reason") />
                </div>
                <button type="submit" class="button button--danger" disabled=move || revoke.pending().get()>{tr!("Revoke", "Отозвать")}</button>
            </ActionForm>
            <FormError msg=crate::ui::form_error(value, &["reason"]) />
        </section>
    }
}
