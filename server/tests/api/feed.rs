//! The feed: posts, tags, likes, comments, tabs, moderation, notifications and digests.

use crate::both;
use crate::helpers::*;
use app::error::{AppError, Msg};
use app::feed::FeedMsg;
use app::feed::{Comment, CommentPage, FeedPage, LikeState, PostCard};
use app::ids::PostId;
use app::notifications::NotificationPage;
use app::video::VideoMsg;

both!(
    a_tutor_posts_and_followers_see_it,
    bad_posts_and_comments_are_refused_and_change_nothing,
    xss_payloads_are_rendered_inert_everywhere,
    likes_stay_exact_under_concurrent_clicks,
    comments_thread_and_a_deleted_comment_with_replies_stays_as_deleted,
    pages_neither_repeat_nor_skip_when_posts_arrive_while_scrolling,
    a_feed_page_costs_a_bounded_number_of_queries,
    moderators_hide_posts_and_hidden_posts_cannot_be_liked,
    for_you_follows_interests_and_never_shows_own_posts,
    notifications_arrive_and_a_burst_is_one_digest_mail,
    post_pages_are_server_rendered_with_metadata_and_in_the_sitemap,
);

async fn post(c: &Client, body: &str, tags: &str) -> i64 {
    c.call(
        "feed/create",
        &[("body", body), ("tags", tags), ("video", "")],
    )
    .await
    .unwrap()
}

async fn feed(c: &Client, tab: &str, cursor: &str) -> FeedPage {
    c.call("feed/list", &[("tab", tab), ("cursor", cursor)])
        .await
        .unwrap()
}

async fn a_tutor_posts_and_followers_see_it(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Tutor Teaches").await;
    let student = a_student(&app, "Student Learns").await;
    let tutor_id = app
        .count(
            "SELECT id FROM users WHERE display_name = 'Tutor Teaches' AND id > $1",
            0,
        )
        .await;
    let r: Call<app::profiles::FollowState> = student
        .call("profiles/follow", &[("user_id", &tutor_id.to_string())])
        .await;
    r.unwrap();
    let id = post(&tutor, "Fractions in **five** minutes", "#Math, fractions").await;
    let page = feed(&student, "following", "").await;
    assert_eq!(page.items.len(), 1);
    let p = &page.items[0];
    assert_eq!(
        (p.id, p.author.display_name.as_str()),
        (id, "Tutor Teaches")
    );
    assert_eq!(p.tags, vec!["fractions", "math"]);
    assert!(p.body_html.contains("<strong>five</strong>"));
    assert!(!p.is_mine && !p.liked);
    // Anonymous visitors see Popular; Following needs an account.
    let anon = app.client();
    assert_eq!(feed(&anon, "popular", "").await.items.len(), 1);
    assert_eq!(
        anon.call::<FeedPage>("feed/list", &[("tab", "following")])
            .await
            .unwrap_err()
            .0,
        401
    );
    let tag: FeedPage = anon.call("feed/tag", &[("tag", "math")]).await.unwrap();
    assert_eq!(tag.items.len(), 1);
    let by_user: FeedPage = anon
        .call("feed/user", &[("handle", "tutor-teaches")])
        .await
        .unwrap();
    assert_eq!(by_user.items.len(), 1);
    // Edit and delete own post.
    let edited: PostCard = tutor
        .call(
            "feed/update",
            &[
                ("id", &id.to_string()),
                ("body", "Fractions, edited"),
                ("tags", "math"),
            ],
        )
        .await
        .unwrap();
    assert!(edited.edited_at.is_some());
    assert_eq!(edited.tags, vec!["math"]);
    let r: Call<()> = tutor.call("feed/delete", &[("id", &id.to_string())]).await;
    r.unwrap();
    assert!(feed(&student, "following", "").await.items.is_empty());
    app.cleanup().await;
}

async fn bad_posts_and_comments_are_refused_and_change_nothing(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Bad Input Tutor").await;
    let other = a_tutor(&app, "Other Tutor").await;
    let student = a_student(&app, "Just Student").await;
    let cases: &[(&str, &str, &str, Msg)] = &[
        ("", "", "body", Msg::Required),
        ("   ", "", "body", Msg::Required),
        (&"x".repeat(5001), "", "body", Msg::TooLong { max: 5000 }),
        ("fine", "a b c d e f", "tags", Msg::TooMany { max: 5 }),
        ("fine", "<b>", "tags", Msg::Feed(FeedMsg::TagInvalid)),
    ];
    for (body, tags, field, msg) in cases {
        let e = tutor
            .call::<i64>("feed/create", &[("body", body), ("tags", tags)])
            .await
            .unwrap_err();
        assert_eq!(e.1.field_msg(field), Some(*msg), "{body:.20} {tags}");
    }
    let e = student
        .call::<i64>("feed/create", &[("body", "I am not a tutor")])
        .await
        .unwrap_err();
    assert_eq!(e, (403, AppError::Forbidden));
    let e = app
        .client()
        .call::<i64>("feed/create", &[("body", "anonymous")])
        .await
        .unwrap_err();
    assert_eq!(e.0, 401);
    // Someone else's video cannot be attached.
    let e = tutor
        .call::<i64>(
            "feed/create",
            &[("body", "with a video"), ("video", "0123456789abcdef")],
        )
        .await
        .unwrap_err();
    assert_eq!(e.1.field_msg("video"), Some(Msg::Video(VideoMsg::NotReady)));
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM posts")
        .fetch_one(app.db.r())
        .await
        .unwrap();
    assert_eq!(n, 0);
    let id = post(&tutor, "A real post", "").await.to_string();
    let id2 = post(&other, "Another post", "").await.to_string();
    // Editing or deleting someone else's post: not found for them.
    assert_eq!(
        other
            .call::<PostCard>("feed/update", &[("id", &id), ("body", "hijacked")])
            .await
            .unwrap_err()
            .0,
        404
    );
    assert_eq!(
        other
            .call::<()>("feed/delete", &[("id", &id)])
            .await
            .unwrap_err()
            .0,
        404
    );
    // Comments: empty, too long, a reply to a comment of another post.
    assert_eq!(
        student
            .call::<Comment>("feed/comment", &[("post", &id), ("body", " ")])
            .await
            .unwrap_err()
            .1
            .field_msg("body"),
        Some(Msg::Required)
    );
    assert_eq!(
        student
            .call::<Comment>(
                "feed/comment",
                &[("post", &id), ("body", &"y".repeat(2001))]
            )
            .await
            .unwrap_err()
            .1
            .field_msg("body"),
        Some(Msg::TooLong { max: 2000 })
    );
    let c: Comment = student
        .call(
            "feed/comment",
            &[("post", &id2), ("body", "on the other post")],
        )
        .await
        .unwrap();
    let e = student
        .call::<Comment>(
            "feed/comment",
            &[
                ("post", &id),
                ("parent", &c.id.to_string()),
                ("body", "cross-post reply"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.1.field_msg("parent"),
        Some(Msg::Feed(FeedMsg::CommentWrongPost))
    );
    assert_eq!(
        other
            .call::<Comment>(
                "feed/comment-edit",
                &[("id", &c.id.to_string()), ("body", "not mine")]
            )
            .await
            .unwrap_err()
            .0,
        404
    );
    let card: PostCard = student.call("feed/post", &[("id", &id)]).await.unwrap();
    assert_eq!(
        (card.body.as_str(), card.comments_count),
        ("A real post", 0)
    );
    app.cleanup().await;
}

const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<svg/onload=alert(1)>",
    "\"><script>alert(1)</script>",
    "<iframe src=//evil.example></iframe>",
    "</title><script>alert(1)</script>",
];

async fn xss_payloads_are_rendered_inert_everywhere(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Xss Tutor").await;
    for p in XSS {
        let id = post(&tutor, p, "safe").await.to_string();
        let c: Comment = tutor
            .call("feed/comment", &[("post", &id), ("body", p)])
            .await
            .unwrap();
        for html in [
            c.body_html.clone(),
            tutor
                .get(&format!("/posts/{id}"))
                .await
                .text()
                .await
                .unwrap(),
        ] {
            let lower = html.to_lowercase();
            assert!(!lower.contains("<script>alert"), "{p}");
            assert!(!lower.contains("<img src=x"), "{p}");
            assert!(!lower.contains("href=\"javascript"), "{p}");
            assert!(!lower.contains("<svg/onload"), "{p}");
            assert!(!lower.contains("<iframe"), "{p}");
            assert!(!lower.contains("</title><script"), "{p}");
        }
        // Tags with markup are refused outright.
        let e = tutor
            .call::<i64>("feed/create", &[("body", "x"), ("tags", p)])
            .await
            .unwrap_err();
        assert_eq!(
            e.1.field_msg("tags"),
            Some(Msg::Feed(FeedMsg::TagInvalid)),
            "{p}"
        );
    }
    app.cleanup().await;
}

async fn likes_stay_exact_under_concurrent_clicks(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Liked Tutor").await;
    let id = post(&tutor, "Like me", "").await;
    let c: Comment = tutor
        .call(
            "feed/comment",
            &[("post", &id.to_string()), ("body", "and me")],
        )
        .await
        .unwrap();
    let mut fans = Vec::new();
    for i in 0..25 {
        let f = app.client();
        f.sign_up(
            &unique_email(&format!("fan{i}")),
            PASSWORD,
            "Fan",
            "student",
        )
        .await
        .unwrap();
        fans.push(f);
    }
    let id_s = id.to_string();
    let cid = c.id.to_string();
    let like_post = [("id", id_s.as_str()), ("like", "true")];
    let like_comment = [("id", cid.as_str()), ("like", "true")];
    // 50 concurrent likes on the post (every fan double-clicks) and 25 on the comment.
    let mut tasks = Vec::new();
    for f in &fans {
        tasks.push(f.call::<LikeState>("feed/like", &like_post));
        tasks.push(f.call::<LikeState>("feed/like", &like_post));
        tasks.push(f.call::<LikeState>("feed/comment-like", &like_comment));
    }
    for r in futures::future::join_all(tasks).await {
        assert!(r.unwrap().liked);
    }
    assert_eq!(
        app.count("SELECT likes_count FROM posts WHERE id = $1", id)
            .await,
        25
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM post_likes WHERE post_id = $1", id)
            .await,
        25
    );
    assert_eq!(
        app.count("SELECT likes_count FROM comments WHERE id = $1", c.id)
            .await,
        25
    );
    let unlike = [("id", id_s.as_str()), ("like", "false")];
    let mut tasks = Vec::new();
    for f in fans.iter().take(10) {
        tasks.push(f.call::<LikeState>("feed/like", &unlike));
        tasks.push(f.call::<LikeState>("feed/like", &unlike));
    }
    for r in futures::future::join_all(tasks).await {
        assert!(!r.unwrap().liked);
    }
    assert_eq!(
        app.count("SELECT likes_count FROM posts WHERE id = $1", id)
            .await,
        15
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM post_likes WHERE post_id = $1", id)
            .await,
        15
    );
    let card: PostCard = fans[20].call("feed/post", &[("id", &id_s)]).await.unwrap();
    assert!(card.liked && card.likes_count == 15);
    assert_eq!(
        app.client()
            .call::<LikeState>("feed/like", &like_post)
            .await
            .unwrap_err()
            .0,
        401
    );
    app.cleanup().await;
}

async fn comments_thread_and_a_deleted_comment_with_replies_stays_as_deleted(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Thread Tutor").await;
    let s = a_student(&app, "Thread Student").await;
    let id = post(&tutor, "Discuss", "").await.to_string();
    // A chain six levels deep.
    let mut parent = 0i64;
    let mut chain = Vec::new();
    for i in 0..6 {
        let who = if i % 2 == 0 { &s } else { &tutor };
        let c: Comment = who
            .call(
                "feed/comment",
                &[
                    ("post", &id),
                    ("parent", &parent.to_string()),
                    ("body", &format!("level {i}")),
                ],
            )
            .await
            .unwrap();
        assert_eq!(c.depth, i);
        parent = c.id;
        chain.push(c);
    }
    let second: Comment = tutor
        .call(
            "feed/comment",
            &[("post", &id), ("body", "a second top-level comment")],
        )
        .await
        .unwrap();
    let top: CommentPage = s.call("feed/comments", &[("post", &id)]).await.unwrap();
    assert_eq!(
        top.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![chain[0].id, second.id],
        "oldest first"
    );
    let newest: CommentPage = s
        .call("feed/comments", &[("post", &id), ("newest", "true")])
        .await
        .unwrap();
    assert_eq!(newest.items[0].id, second.id);
    let replies: CommentPage = s
        .call(
            "feed/comments",
            &[("post", &id), ("parent", &chain[0].id.to_string())],
        )
        .await
        .unwrap();
    assert_eq!(replies.items.len(), 1);
    assert_eq!(replies.items[0].replies_count, 1);
    // Deleting a comment with replies leaves "deleted" in its place; without replies it goes.
    let r: Call<()> = s
        .call("feed/comment-delete", &[("id", &chain[0].id.to_string())])
        .await;
    r.unwrap();
    let top: CommentPage = s.call("feed/comments", &[("post", &id)]).await.unwrap();
    assert!(
        top.items[0].deleted && top.items[0].author.is_none() && top.items[0].body_html.is_empty()
    );
    let r: Call<()> = tutor
        .call("feed/comment-delete", &[("id", &second.id.to_string())])
        .await;
    r.unwrap();
    let top: CommentPage = s.call("feed/comments", &[("post", &id)]).await.unwrap();
    assert_eq!(top.items.len(), 1);
    let card: PostCard = s.call("feed/post", &[("id", &id)]).await.unwrap();
    assert_eq!(
        card.comments_count, 6,
        "the deleted placeholder still counts; the removed one does not"
    );
    // Pagination: 25 more comments come 20 at a time.
    for i in 0..25 {
        let _: Comment = s
            .call("feed/comment", &[("post", &id), ("body", &format!("c{i}"))])
            .await
            .unwrap();
    }
    let p1: CommentPage = s.call("feed/comments", &[("post", &id)]).await.unwrap();
    let p2: CommentPage = s
        .call(
            "feed/comments",
            &[("post", &id), ("cursor", p1.next.as_deref().unwrap())],
        )
        .await
        .unwrap();
    assert_eq!((p1.items.len(), p2.items.len()), (20, 6));
    assert!(p2.next.is_none());
    app.cleanup().await;
}

async fn pages_neither_repeat_nor_skip_when_posts_arrive_while_scrolling(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Prolific Tutor").await;
    let reader = a_student(&app, "Reader").await;
    let tutor_id = app
        .count(
            "SELECT id FROM users WHERE display_name = 'Prolific Tutor' AND id > $1",
            0,
        )
        .await;
    let r: Call<app::profiles::FollowState> = reader
        .call("profiles/follow", &[("user_id", &tutor_id.to_string())])
        .await;
    r.unwrap();
    let mut all = Vec::new();
    for i in 0..25 {
        all.push(post(&tutor, &format!("post {i}"), "").await);
    }
    for tab in ["following", "popular"] {
        let p1 = feed(&reader, tab, "").await;
        // New posts arrive while the reader scrolls.
        let mut fresh = Vec::new();
        for i in 0..3 {
            fresh.push(post(&tutor, &format!("{tab} fresh {i}"), "").await);
        }
        let p2 = feed(&reader, tab, p1.next.as_deref().unwrap()).await;
        let p3 = feed(&reader, tab, p2.next.as_deref().unwrap()).await;
        assert!(p3.next.is_none());
        let seen: Vec<i64> = p1
            .items
            .iter()
            .chain(&p2.items)
            .chain(&p3.items)
            .map(|p| p.id)
            .collect();
        let mut dedup = seen.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), seen.len(), "{tab}: no duplicates");
        let expected: Vec<i64> = all.iter().rev().copied().collect();
        let older: Vec<i64> = seen
            .iter()
            .copied()
            .filter(|id| !fresh.contains(id))
            .collect();
        assert_eq!(older.len(), all.len(), "{tab}: no gaps");
        if tab == "following" {
            assert_eq!(older, expected, "newest first");
        }
        all.extend(fresh);
    }
    app.cleanup().await;
}

async fn a_feed_page_costs_a_bounded_number_of_queries(b: Backend) {
    let app = spawn_app(b).await;
    let tutors = [
        a_tutor(&app, "Tutor A").await,
        a_tutor(&app, "Tutor B").await,
        a_tutor(&app, "Tutor C").await,
    ];
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(post(&tutors[i % 3], &format!("post {i}"), "one two three").await);
    }
    // The counter is process-wide and background workers (the job queue, digests) query too,
    // so each size is measured a few times and the least count is the page's own cost.
    let cost = |n: usize| {
        let ids: Vec<PostId> = ids[..n].iter().copied().map(PostId).collect();
        let state = app.state.clone();
        async move {
            let mut least = u64::MAX;
            for _ in 0..5 {
                let before = state.db.queries();
                let cards = app::feed::service::cards(&state, &ids, None).await.unwrap();
                assert_eq!(cards.len(), n);
                least = least.min(state.db.queries() - before);
            }
            least
        }
    };
    let two = cost(2).await;
    let twelve = cost(12).await;
    assert_eq!(two, twelve, "the same number of queries for 2 and 12 posts");
    assert!(twelve <= 8, "{twelve} queries");
    app.cleanup().await;
}

async fn moderators_hide_posts_and_hidden_posts_cannot_be_liked(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Hidden Tutor").await;
    let mod_email = unique_email("m");
    let moderator = confirmed_user(&app, &mod_email, "The Moderator", "student").await;
    let id = post(&tutor, "Something to hide", "hideme")
        .await
        .to_string();
    assert_eq!(
        tutor
            .call::<()>("feed/hide", &[("id", &id), ("hidden", "true")])
            .await
            .unwrap_err()
            .0,
        403
    );
    app::accounts::service::grant_role(&app.state, &mod_email, app::accounts::Role::Moderator)
        .await
        .unwrap();
    moderator.turn_on_mfa().await;
    let r: Call<()> = moderator
        .call("feed/hide", &[("id", &id), ("hidden", "true")])
        .await;
    r.unwrap();
    let anon = app.client();
    assert!(feed(&anon, "popular", "").await.items.is_empty());
    let tag: FeedPage = anon.call("feed/tag", &[("tag", "hideme")]).await.unwrap();
    assert!(tag.items.is_empty());
    assert_eq!(
        anon.call::<PostCard>("feed/post", &[("id", &id)])
            .await
            .unwrap_err()
            .0,
        404
    );
    let seen: PostCard = tutor.call("feed/post", &[("id", &id)]).await.unwrap();
    assert!(seen.hidden, "the author still sees it, marked hidden");
    let e = moderator
        .call::<LikeState>("feed/like", &[("id", &id), ("like", "true")])
        .await
        .unwrap_err();
    assert_eq!(e.0, 404);
    assert_eq!(
        moderator
            .call::<Comment>("feed/comment", &[("post", &id), ("body", "hi")])
            .await
            .unwrap_err()
            .0,
        404
    );
    assert_eq!(
        app.count(
            "SELECT likes_count FROM posts WHERE id = $1",
            id.parse().unwrap()
        )
        .await,
        0
    );
    app.cleanup().await;
}

async fn for_you_follows_interests_and_never_shows_own_posts(b: Backend) {
    let app = spawn_app(b).await;
    let chem = a_tutor(&app, "Chem Tutor").await;
    let hist = a_tutor(&app, "History Tutor").await;
    let me = a_tutor(&app, "Curious Tutor").await;
    let mut chem_posts = Vec::new();
    for i in 0..12 {
        chem_posts.push(post(&chem, &format!("chem {i}"), "chemistry").await);
    }
    for i in 0..6 {
        post(&hist, &format!("history {i}"), "history").await;
    }
    let mine = post(&me, "my own post", "chemistry").await;
    // I like one chemistry post: chemistry becomes my interest.
    let r: Call<LikeState> = me
        .call(
            "feed/like",
            &[("id", &chem_posts[0].to_string()), ("like", "true")],
        )
        .await;
    r.unwrap();
    let mut seen = Vec::new();
    let mut page = feed(&me, "for-you", "").await;
    let first: Vec<String> = page.items.iter().map(|p| p.tags.join(",")).collect();
    assert!(
        first.iter().filter(|t| *t == "chemistry").count() >= 6,
        "mostly interests: {first:?}"
    );
    assert!(
        first.iter().any(|t| t == "history"),
        "popular mixed in: {first:?}"
    );
    loop {
        seen.extend(page.items.iter().map(|p| p.id));
        match page.next.clone() {
            Some(c) => page = feed(&me, "for-you", &c).await,
            None => break,
        }
    }
    assert!(!seen.contains(&mine), "never my own");
    let mut d = seen.clone();
    d.sort();
    d.dedup();
    assert_eq!(d.len(), seen.len());
    assert_eq!(seen.len(), 18, "everything else, once");
    app.cleanup().await;
}

async fn notifications_arrive_and_a_burst_is_one_digest_mail(b: Backend) {
    let app = spawn_app_with(b, |c| c.digest_delay_seconds = 5).await;
    let tutor_email = unique_email("t");
    let tutor = confirmed_user(&app, &tutor_email, "Notified Tutor", "tutor").await;
    let s = a_student(&app, "Noisy Student").await;
    let tutor_id = app.user_id(&tutor_email).await.to_string();
    let r: Call<app::profiles::FollowState> =
        s.call("profiles/follow", &[("user_id", &tutor_id)]).await;
    r.unwrap();
    let id = post(&tutor, "Notify me", "").await.to_string();
    let r: Call<LikeState> = s.call("feed/like", &[("id", &id), ("like", "true")]).await;
    r.unwrap();
    let c: Comment = s
        .call("feed/comment", &[("post", &id), ("body", "question")])
        .await
        .unwrap();
    let reply: Comment = tutor
        .call(
            "feed/comment",
            &[
                ("post", &id),
                ("parent", &c.id.to_string()),
                ("body", "answer"),
            ],
        )
        .await
        .unwrap();
    let page: NotificationPage = tutor.call("notifications/list", &[]).await.unwrap();
    let kinds: Vec<_> = page.items.iter().map(|n| n.kind).collect();
    use app::notifications::Kind;
    assert_eq!(kinds, vec![Kind::Comment, Kind::PostLike, Kind::Follow]);
    assert_eq!(page.unread, 3);
    let sp: NotificationPage = s.call("notifications/list", &[]).await.unwrap();
    assert_eq!(sp.items[0].kind, Kind::Reply);
    assert!(
        sp.items[0]
            .link
            .ends_with(&format!("#comment-{}", reply.id)),
        "{}",
        sp.items[0].link
    );
    // The new post reached the follower through the fan-out job.
    for _ in 0..50 {
        let sp: NotificationPage = s.call("notifications/list", &[]).await.unwrap();
        if sp.items.iter().any(|n| n.kind == Kind::NewPost) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sp: NotificationPage = s.call("notifications/list", &[]).await.unwrap();
    assert!(sp.items.iter().any(|n| n.kind == Kind::NewPost));
    let r: Call<()> = tutor
        .call(
            "notifications/read",
            &[("id", &page.items[0].id.to_string())],
        )
        .await;
    r.unwrap();
    let n: i64 = tutor.call("notifications/unread", &[]).await.unwrap();
    assert_eq!(n, 2);
    let n: u64 = tutor.call("notifications/read-all", &[]).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(
        app.client()
            .call::<NotificationPage>("notifications/list", &[])
            .await
            .unwrap_err()
            .0,
        401
    );
    // A burst of likes from 30 people: one digest mail. The digest booked by the activity above
    // goes first (with two mail workers it would otherwise run in the middle of the burst).
    let tutor_uid: i64 = tutor_id.parse().unwrap();
    for _ in 0..150 {
        if app
            .count(
                "SELECT COUNT(*) FROM digest_schedule WHERE user_id = $1",
                tutor_uid,
            )
            .await
            == 0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mails_before = app.mails_to(&tutor_email).len();
    let mut ids = Vec::new();
    for i in 0..30 {
        ids.push(post(&tutor, &format!("burst {i}"), "").await.to_string());
    }
    let fans: Vec<Client> = futures::future::join_all((0..10).map(|i| {
        let c = app.client();
        let e = unique_email(&format!("burst{i}"));
        async move {
            c.sign_up(&e, PASSWORD, "Burst Fan", "student")
                .await
                .unwrap();
            c
        }
    }))
    .await;
    let forms: Vec<[(&str, &str); 2]> = ids
        .iter()
        .take(10)
        .map(|id| [("id", id.as_str()), ("like", "true")])
        .collect();
    let mut tasks = Vec::new();
    for f in &fans {
        for form in &forms {
            tasks.push(f.call::<LikeState>("feed/like", form));
        }
    }
    for r in futures::future::join_all(tasks).await {
        r.unwrap();
    }
    let mail = app.mail_to_after(&tutor_email, mails_before).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(
        app.mails_to(&tutor_email).len(),
        mails_before + 1,
        "one digest for 100 likes"
    );
    assert!(
        mail.contains("100 new on Tutorium") || mail.contains("new on Tutorium"),
        "{mail}"
    );
    assert!(mail.contains("Burst Fan liked your post"), "{mail}");
    app.cleanup().await;
}

async fn post_pages_are_server_rendered_with_metadata_and_in_the_sitemap(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Seo Tutor").await;
    let id = post(&tutor, "How to learn **verbs** fast", "english, verbs").await;
    let anon = app.client();
    let res = anon.get(&format!("/posts/{id}")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<title>Seo Tutor: How to learn verbs fast · Tutorium</title>"),
        "{html}"
    );
    assert!(html.contains(r#""@type":"SocialMediaPosting""#));
    assert!(html.contains("<strong>verbs</strong>"));
    assert!(html.contains(&format!(
        r#"<link href="http://127.0.0.1/posts/{id}" rel="canonical">"#
    )));
    let sitemap = anon.get("/sitemap.xml").await.text().await.unwrap();
    assert!(
        sitemap.contains(&format!("/posts/{id}</loc>")) && sitemap.contains("/tags/verbs</loc>")
    );
    let tag = anon.get("/tags/verbs").await.text().await.unwrap();
    assert!(tag.contains("How to learn"));
    assert_eq!(anon.get("/posts/999999").await.status(), 404);
    // The sitemap is cached, but a deleted post leaves it at once.
    let r: Call<()> = tutor.call("feed/delete", &[("id", &id.to_string())]).await;
    r.unwrap();
    let sitemap = anon.get("/sitemap.xml").await.text().await.unwrap();
    assert!(
        !sitemap.contains(&format!("/posts/{id}</loc>")),
        "{sitemap}"
    );
    app.cleanup().await;
}
