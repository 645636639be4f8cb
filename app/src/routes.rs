//! The route table in one place: path → page.

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
    SsrMode,
    components::{Route, Routes},
    path,
};

/// Every page of the app. Pages render completely on the server (`SsrMode::Async`): crawlers and
/// readers without JavaScript get the whole page, title and metadata included.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=|| view! { <NotFoundPage/> }>
            <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
            <Route path=path!("/signup") view=SignupPage ssr=SsrMode::Async/>
            <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
            <Route path=path!("/login/code") view=LoginCodePage ssr=SsrMode::Async/>
            <Route path=path!("/confirm") view=ConfirmPage ssr=SsrMode::Async/>
            <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
            <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async/>
            <Route path=path!("/tutors") view=TutorsPage ssr=SsrMode::Async/>
            <Route path=path!("/u/:handle") view=ProfilePage ssr=SsrMode::Async/>
            <Route path=path!("/u/:handle/followers") view=|| view! { <FollowsPage followers=true /> } ssr=SsrMode::Async/>
            <Route path=path!("/u/:handle/following") view=|| view! { <FollowsPage followers=false /> } ssr=SsrMode::Async/>
            <Route path=path!("/settings/profile") view=ProfileSettingsPage ssr=SsrMode::Async/>
            <Route path=path!("/settings/account") view=AccountSettingsPage ssr=SsrMode::Async/>
            <Route path=path!("/settings/security") view=SecuritySettingsPage ssr=SsrMode::Async/>
            <Route path=path!("/settings/sessions") view=SessionsPage ssr=SsrMode::Async/>
            <Route path=path!("/settings/notifications") view=NotificationSettingsPage ssr=SsrMode::Async/>
            <Route path=path!("/feed") view=FeedPage ssr=SsrMode::Async/>
            <Route path=path!("/tags/:tag") view=TagPage ssr=SsrMode::Async/>
            <Route path=path!("/posts/:id") view=PostPage ssr=SsrMode::Async/>
            <Route path=path!("/posts/:id/edit") view=PostEditPage ssr=SsrMode::Async/>
            <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async/>
            <Route path=path!("/studio/videos") view=StudioPage ssr=SsrMode::Async/>
            <Route path=path!("/studio/videos/:id") view=VideoStudioPage ssr=SsrMode::Async/>
            <Route path=path!("/videos/:id") view=WatchPage ssr=SsrMode::Async/>
            <Route path=path!("/courses") view=CatalogPage ssr=SsrMode::Async/>
            <Route path=path!("/courses/:slug") view=CoursePage ssr=SsrMode::Async/>
            <Route path=path!("/learn/:slug/:lesson") view=LessonPage ssr=SsrMode::Async/>
            <Route path=path!("/learning") view=LearningPage ssr=SsrMode::Async/>
            <Route path=path!("/studio/courses") view=StudioCoursesPage ssr=SsrMode::Async/>
            <Route path=path!("/studio/courses/:id") view=CourseEditorPage ssr=SsrMode::Async/>
            <Route path=path!("/moderation/courses") view=ReviewQueuePage ssr=SsrMode::Async/>
            <Route path=path!("/admin") view=AdminUsersPage ssr=SsrMode::Async/>
            <Route path=path!("/admin/users/:id") view=AdminUserPage ssr=SsrMode::Async/>
            <Route path=path!("/admin/audit") view=AuditLogPage ssr=SsrMode::Async/>
            <Route path=path!("/checkout/:id") view=CheckoutPage ssr=SsrMode::Async/>
            <Route path=path!("/quizzes/:id") view=QuizPage ssr=SsrMode::Async/>
            <Route path=path!("/studio/courses/:id/quiz/:target") view=QuizEditorPage ssr=SsrMode::Async/>
            <Route path=path!("/certificates") view=MyCertificatesPage ssr=SsrMode::Async/>
            <Route path=path!("/certificates/:code") view=CertificatePage ssr=SsrMode::Async/>
        </Routes>
    }
}
