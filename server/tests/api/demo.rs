//! `tutorium demo`: what a newcomer sees — a feed with videos, likes and threads, tutors with
//! courses and posts — made once, through the features' own use cases.

use crate::both;
use crate::helpers::*;
use app::courses::CourseCard;
use app::feed::{CommentPage, FeedPage};

both!(the_demo_fills_the_feed_and_tutors_profiles_once);

async fn totals(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM posts WHERE id > $1",
        "SELECT COUNT(*) FROM comments WHERE id > $1",
        "SELECT COUNT(*) FROM post_likes WHERE post_id > $1",
        "SELECT COUNT(*) FROM videos WHERE id > $1",
        "SELECT COUNT(*) FROM courses WHERE id > $1",
        "SELECT COUNT(*) FROM certificates WHERE id > $1",
        "SELECT COUNT(*) FROM enrollments WHERE user_id > $1",
        "SELECT COUNT(*) FROM lesson_attachments WHERE id > $1",
        "SELECT COUNT(*) FROM notifications WHERE id > $1",
        "SELECT COUNT(*) FROM follows WHERE follower_id > $1",
    ] {
        out.push(app.count(sql, 0).await);
    }
    out
}

async fn the_demo_fills_the_feed_and_tutors_profiles_once(b: Backend) {
    let app = spawn_app(b).await;
    assert!(server::demo::fill(&app.state, false).await.unwrap());
    let visitor = app.client();
    // The feed: tutors' posts, three with a short video made by ffmpeg and accepted by the
    // upload checks (queued for transcoding), with likes and threaded comments.
    let page: FeedPage = visitor
        .call("feed/list", &[("tab", "popular"), ("cursor", "")])
        .await
        .unwrap();
    assert!(page.items.len() >= 6, "{}", page.items.len());
    assert_eq!(page.items.iter().filter(|p| p.video.is_some()).count(), 3);
    assert!(page.items.iter().all(|p| !p.tags.is_empty()));
    let busiest = page.items.iter().max_by_key(|p| p.comments_count).unwrap();
    assert!(busiest.comments_count >= 4 && busiest.likes_count >= 3);
    let thread: CommentPage = visitor
        .call("feed/comments", &[("post", &busiest.id.to_string())])
        .await
        .unwrap();
    assert!(
        thread.items.iter().any(|c| c.replies_count >= 1),
        "answered by the author"
    );
    // A tutor's profile lists their courses.
    let courses: Vec<CourseCard> = visitor
        .call("courses/by-tutor", &[("handle", "anna-petrova")])
        .await
        .unwrap();
    assert_eq!(courses.len(), 1);
    assert!(courses[0].title.starts_with("Алгебра"));
    let html = visitor.get("/u/anna-petrova").await.text().await.unwrap();
    assert!(html.contains("Алгебра 8–9 класс") && html.contains("Фрактал Мандельброта"));
    // The first course: a video lesson; Мария part-way, Alex through it with a certificate.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM lessons WHERE video_id IS NOT NULL AND id > $1",
            0
        )
        .await,
        1
    );
    let progress = |email: &'static str| {
        app.count_text(
            "SELECT e.completed_lessons FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = $1",
            email,
        )
    };
    assert_eq!(progress("maria.ivanova@demo.tutorium.local").await, 1);
    assert_eq!(progress("alex.kim@demo.tutorium.local").await, 4);
    assert_eq!(
        app.count_text(
            "SELECT COUNT(*) FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = $1",
            "alex.kim@demo.tutorium.local"
        )
        .await,
        1
    );
    // Courses have covers and their lessons PDF handouts; a free lesson's opens for anyone.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM courses WHERE cover_key IS NOT NULL AND id > $1",
            0
        )
        .await,
        4
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM lesson_attachments WHERE mime = 'application/pdf' AND id > $1",
            0
        )
        .await,
        6
    );
    let free = app
        .count(
            "SELECT MIN(a.id) FROM lesson_attachments a JOIN lessons l ON l.id = a.lesson_id \
             WHERE l.free_preview = 1 AND a.id > $1",
            0,
        )
        .await;
    let pdf = visitor
        .get(&format!("/api/courses/attachments/{free}"))
        .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    // Follows, likes and comments told the people concerned.
    assert!(
        app.count_text(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1",
            "anna.petrova@demo.tutorium.local"
        )
        .await
            >= 5
    );
    // The profile's counts lead to the lists.
    assert!(html.contains(r##"href="#courses""##) && html.contains(r##"href="#posts""##));
    assert!(html.contains(r#"href="/u/anna-petrova/followers""#));
    // Running it again adds nothing.
    let before = totals(&app).await;
    server::demo::fill(&app.state, false).await.unwrap();
    assert_eq!(totals(&app).await, before);
    app.cleanup().await;
}
