//! Builders of what many scenarios start from: a published course with lessons (made through
//! the same server functions a tutor uses), an enrolled learner.

use super::{Call, Client};
use app::courses::CourseForm;
use serde_json::json;

/// A course as a builder made it.
pub struct BuiltCourse {
    pub id: i64,
    pub slug: String,
    pub lessons: Vec<i64>,
}

/// A course with `lessons` lessons in one section, free unless priced, published by a moderator
/// when one is given (else left a draft).
pub struct CourseBuilder {
    title: String,
    lessons: usize,
    price: String,
}

impl CourseBuilder {
    pub fn new(title: &str) -> Self {
        CourseBuilder {
            title: title.into(),
            lessons: 1,
            price: String::new(),
        }
    }

    pub fn lessons(mut self, n: usize) -> Self {
        self.lessons = n;
        self
    }

    /// A price in roubles, as a tutor types it ("1990").
    pub fn price(mut self, price: &str) -> Self {
        self.price = price.into();
        self
    }

    fn form(&self) -> CourseForm {
        CourseForm {
            title: self.title.clone(),
            slug: String::new(),
            description: format!("{}: what it teaches.", self.title),
            outcomes: String::new(),
            category: "programming".into(),
            level: "beginner".into(),
            language: "ru".into(),
            price: self.price.clone(),
            currency: "RUB".into(),
        }
    }

    /// Made by `author`, sent for review and approved by `moderator` (when given).
    pub async fn build(self, author: &Client, moderator: Option<&Client>) -> BuiltCourse {
        let id: i64 = author
            .call_json("courses/create", json!({ "form": self.form() }))
            .await
            .expect("create course");
        let section: i64 = author
            .call(
                "courses/section-add",
                &[("course", &id.to_string()), ("title", "Part 1")],
            )
            .await
            .expect("add section");
        let mut lessons = Vec::new();
        for i in 0..self.lessons {
            let lesson: i64 = author
                .call(
                    "courses/lesson-add",
                    &[
                        ("course", &id.to_string()),
                        ("section", &section.to_string()),
                        ("title", &format!("Lesson {}", i + 1)),
                    ],
                )
                .await
                .expect("add lesson");
            lessons.push(lesson);
        }
        if let Some(m) = moderator {
            let r: Call<()> = author
                .call("courses/submit", &[("id", &id.to_string())])
                .await;
            r.expect("submit");
            let r: Call<()> = m
                .call(
                    "courses/moderate",
                    &[("id", &id.to_string()), ("approve", "true")],
                )
                .await;
            r.expect("approve");
        }
        let draft: app::courses::CourseDraft = author
            .call("courses/draft", &[("id", &id.to_string())])
            .await
            .expect("draft");
        BuiltCourse {
            id,
            slug: draft.slug,
            lessons,
        }
    }
}

/// Enrolls `learner` in a free course.
pub async fn enroll_in(learner: &Client, course: i64) {
    let r: Call<app::courses::api::Enrolled> = learner
        .call("courses/enroll", &[("course", &course.to_string())])
        .await;
    assert_eq!(r.expect("enroll"), app::courses::api::Enrolled::Done);
}

/// Uploads a course cover as the editor's browser does.
pub async fn upload_cover(c: &Client, course: i64, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name("cover.png")
        .mime_str("image/png")
        .unwrap();
    c.http
        .post(format!("{}/api/courses/{course}/cover", c.base))
        .multipart(reqwest::multipart::Form::new().part("cover", part))
        .send()
        .await
        .unwrap()
}

/// A PNG of `w`×`h` with a gradient (not all one colour).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}
