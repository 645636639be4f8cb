//! The route table in one place: path → page.
//!
//! Every page is a lazy route: its code is in a WASM chunk of its group (`cargo leptos build
//! --split`), fetched with the page when it is opened by URL (the server names the chunks it
//! used in `<link rel="preload">`) or on the first client-side navigation to the group. The main
//! bundle keeps only the shell: the router, the header and footer, the providers and the
//! not-found page.

use crate::admin::pages::{AdminUserPage, AdminUsersPage};
use crate::audit::pages::AuditLogPage;
use crate::certificates::pages::{CertificatePage, MyCertificatesPage};
use crate::courses::editor::CourseEditorPage;
use crate::courses::pages::{
    CatalogPage, CoursePage, LearningPage, LessonPage, ReviewQueuePage, StudioCoursesPage,
};
use crate::feed::pages::{FeedPage, PostEditPage, PostPage, TagPage};
use crate::notifications::pages::NotificationsPage;
use crate::payments::pages::CheckoutPage;
use crate::quizzes::{editor::QuizEditorPage, pages::QuizPage};
use crate::video::pages::{StudioPage, VideoStudioPage, WatchPage};
use crate::{
    accounts::pages::*, home::HomePage, layout::NotFoundPage, profiles::pages::*, settings::*,
};
use leptos::prelude::*;
use leptos_router::{
    Lazy, LazyRoute, SsrMode,
    components::{Route, Routes},
    path,
};

/// The pages in groups of pages that are used together and share most of their code; each group
/// is one lazy function, so one WASM chunk (plus the chunks it shares with other groups). One
/// chunk per page would be finer, but the splitter gives every set of pages that shares a piece
/// of code a chunk of its own: with 39 pages that made 660 chunks and 30–300 requests per page,
/// slower on a phone than the bytes they save. `Name => view! { … }` declares a route for
/// `<Route view={Lazy::<Name>::new()}/>`; a page's resources are created inside its view, so
/// they travel in its chunk, and on the first load their data arrives with the server-rendered
/// HTML.
macro_rules! page_groups {
    ($($(#[$doc:meta])* $group:ident { $($route:ident => $view:expr;)* })*) => {
        /// Which page a group's lazy function renders.
        #[derive(Clone, Copy)]
        pub enum Page { $($($route,)*)* }

        $(
            $(#[$doc])*
            mod $group {
                use super::*;

                /// Renders one page of the group (the splitter's name for it is the group's).
                #[lazy($group)]
                pub fn pages(page: Page) -> AnyView {
                    preload_chunks();
                    match page {
                        $(Page::$route => $view.into_any(),)*
                        _ => view! { <NotFoundPage/> }.into_any(),
                    }
                }
            }

            $(
                pub struct $route;

                impl LazyRoute for $route {
                    fn data() -> Self {
                        Self
                    }

                    async fn view(_this: Self) -> AnyView {
                        $group::pages(Page::$route).await
                    }

                    // Loads the chunk before the page hydrates or renders (the router awaits
                    // this first); without it the page would be built twice on a direct load.
                    async fn preload() {
                        #[cfg(target_arch = "wasm32")]
                        $group::__preload_pages().await;
                    }
                }
            )*
        )*
    };
}

page_groups! {
    /// Signing up and in, confirming the address, resetting the password.
    account_pages {
        SignupRoute => view! { <SignupPage/> };
        LoginRoute => view! { <LoginPage/> };
        LoginCodeRoute => view! { <LoginCodePage/> };
        ConfirmRoute => view! { <ConfirmPage/> };
        ForgotPasswordRoute => view! { <ForgotPasswordPage/> };
        ResetPasswordRoute => view! { <ResetPasswordPage/> };
    }
    /// The home page and the lists one browses: courses, tutors, followers, certificates.
    discover_pages {
        HomeRoute => view! { <HomePage/> };
        CatalogRoute => view! { <CatalogPage/> };
        TutorsRoute => view! { <TutorsPage/> };
        FollowersRoute => view! { <FollowsPage followers=true/> };
        FollowingRoute => view! { <FollowsPage followers=false/> };
        LearningRoute => view! { <LearningPage/> };
        MyCertificatesRoute => view! { <MyCertificatesPage/> };
        CertificateRoute => view! { <CertificatePage/> };
    }
    /// Posts and videos: the feed, tags, a post, a profile with its posts, the watch page.
    social_pages {
        FeedRoute => view! { <FeedPage/> };
        TagRoute => view! { <TagPage/> };
        PostRoute => view! { <PostPage/> };
        PostEditRoute => view! { <PostEditPage/> };
        ProfileRoute => view! { <ProfilePage/> };
        WatchRoute => view! { <WatchPage/> };
    }
    /// A course, its lessons and quizzes, buying it.
    course_pages {
        CourseRoute => view! { <CoursePage/> };
        LessonRoute => view! { <LessonPage/> };
        QuizRoute => view! { <QuizPage/> };
        CheckoutRoute => view! { <CheckoutPage/> };
    }
    /// One's settings and notifications.
    settings_pages {
        ProfileSettingsRoute => view! { <ProfileSettingsPage/> };
        AccountSettingsRoute => view! { <AccountSettingsPage/> };
        SecuritySettingsRoute => view! { <SecuritySettingsPage/> };
        SessionsRoute => view! { <SessionsPage/> };
        NotificationSettingsRoute => view! { <NotificationSettingsPage/> };
        NotificationsRoute => view! { <NotificationsPage/> };
    }
    /// Tutors' studio: videos, courses, the course and quiz editors.
    studio_pages {
        StudioVideosRoute => view! { <StudioPage/> };
        VideoStudioRoute => view! { <VideoStudioPage/> };
        StudioCoursesRoute => view! { <StudioCoursesPage/> };
        CourseEditorRoute => view! { <CourseEditorPage/> };
        QuizEditorRoute => view! { <QuizEditorPage/> };
    }
    /// Staff: course reviews, accounts, the audit log.
    staff_pages {
        ReviewQueueRoute => view! { <ReviewQueuePage/> };
        AdminUsersRoute => view! { <AdminUsersPage/> };
        AdminUserRoute => view! { <AdminUserPage/> };
        AuditLogRoute => view! { <AuditLogPage/> };
    }
}

/// On the server, inside a lazy route's view: puts `<link rel="preload">` into the head for the
/// WASM modules the page's chunk needs (its own and the shared ones, from the splitter's
/// manifest), so the browser fetches them together with the main module instead of after it.
/// leptos_integration_utils 0.8.9 means to add these links itself, but it looks the manifest up
/// outside the app's reactive owner, where it is found on some renders and not on others. In the
/// browser: nothing.
fn preload_chunks() {
    #[cfg(feature = "ssr")]
    {
        use leptos_meta::Link;
        let Some(used) = use_context::<leptos::PrefetchLazyFn>() else {
            return;
        };
        let Some(split) = use_context::<leptos::WasmSplitManifest>() else {
            return;
        };
        // Taken out of the set: leptos_integration_utils 0.8.9 adds its own links after the render
        // when it finds the set non-empty and (on some renders, depending on which owner is
        // current when its future runs) the manifest: then every link came twice, the second
        // with the page's nonce as `crossorigin`. An empty set keeps it out.
        let keys: Vec<&'static str> = used
            .0
            .try_write_value()
            .map(|mut set| set.drain().collect())
            .unwrap_or_default();
        // Borrowed, not cloned: this runs on every page the server renders.
        split.0.with_value(|(pkg, manifest, loader)| {
            let mut modules: Vec<&String> = keys
                .iter()
                .flat_map(|key| manifest.get(*key).into_iter().flatten())
                .collect();
            modules.sort();
            modules.dedup();
            for module in modules {
                // `to_html` on a leptos_meta tag registers it with the page's head.
                let _ = view! {
                    <Link rel="preload" href=format!("{pkg}/{module}.wasm") as_="fetch"
                        type_="application/wasm" crossorigin="anonymous"/>
                }
                .to_html();
            }
            let _ = view! {
                <Link rel="modulepreload" href=format!("{pkg}/{loader}") crossorigin="anonymous"/>
            }
            .to_html();
        });
    }
}

/// Every page of the app. Pages render completely on the server (`SsrMode::Async`): crawlers and
/// readers without JavaScript get the whole page, title and metadata included.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=|| view! { <NotFoundPage/> }>
            <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/signup") view={Lazy::<SignupRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/login/code") view={Lazy::<LoginCodeRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/confirm") view={Lazy::<ConfirmRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/reset-password") view={Lazy::<ResetPasswordRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/tutors") view={Lazy::<TutorsRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/u/:handle") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/u/:handle/followers") view={Lazy::<FollowersRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/u/:handle/following") view={Lazy::<FollowingRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/settings/profile") view={Lazy::<ProfileSettingsRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/settings/account") view={Lazy::<AccountSettingsRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/settings/security") view={Lazy::<SecuritySettingsRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/settings/sessions") view={Lazy::<SessionsRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/settings/notifications") view={Lazy::<NotificationSettingsRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/feed") view={Lazy::<FeedRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/tags/:tag") view={Lazy::<TagRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/posts/:id") view={Lazy::<PostRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/posts/:id/edit") view={Lazy::<PostEditRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/studio/videos") view={Lazy::<StudioVideosRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/studio/videos/:id") view={Lazy::<VideoStudioRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/videos/:id") view={Lazy::<WatchRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/courses") view={Lazy::<CatalogRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/courses/:slug") view={Lazy::<CourseRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/learn/:slug/:lesson") view={Lazy::<LessonRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/learning") view={Lazy::<LearningRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/studio/courses") view={Lazy::<StudioCoursesRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/studio/courses/:id") view={Lazy::<CourseEditorRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/moderation/courses") view={Lazy::<ReviewQueueRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/admin") view={Lazy::<AdminUsersRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/admin/users/:id") view={Lazy::<AdminUserRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/admin/audit") view={Lazy::<AuditLogRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/checkout/:id") view={Lazy::<CheckoutRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/quizzes/:id") view={Lazy::<QuizRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/studio/courses/:id/quiz/:target") view={Lazy::<QuizEditorRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/certificates") view={Lazy::<MyCertificatesRoute>::new()} ssr=SsrMode::Async/>
            <Route path=path!("/certificates/:code") view={Lazy::<CertificateRoute>::new()} ssr=SsrMode::Async/>
        </Routes>
    }
}
