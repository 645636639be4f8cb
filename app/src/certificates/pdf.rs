//! Renders a course completion certificate as a one-page A4 landscape PDF.
//!
//! Built on small, fast crates: `pdf-writer` writes the PDF objects, `ttf-parser` reads glyph
//! metrics and kerning, `subsetter` keeps only the glyphs a certificate uses, and `qrcode` gives
//! the module matrix of the verification link, drawn here as vector squares. Text uses the DejaVu
//! fonts in `app/assets/fonts/` (compiled into the binary), embedded as CID fonts with a
//! ToUnicode map: Latin and Cyrillic render the same in every viewer, and the text can be
//! selected, searched and extracted. Output is deterministic (no timestamps): the same data gives
//! the same bytes. Scripts the DejaVu fonts lack (e.g. Chinese, Japanese) would show as empty
//! boxes.
//!
//! A certificate is about 40 KB and takes ~3 ms in a release build (`bench_render` below), so
//! call it from a background job or `spawn_blocking`, not on the async executor directly.

use std::io::Write as _;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{
    ActionType, AnnotationType, CidFontType, FontFlags, LineCapStyle, SystemInfo, UnicodeCmap,
};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use qrcode::{Color, EcLevel, QrCode};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

/// What a certificate says. All strings are shown as given (whitespace runs collapsed).
pub struct CertificateData<'a> {
    /// The learner's name, e.g. "Мария Иванова" or "Sofia Rossi".
    pub learner_name: &'a str,
    /// The course title; long titles (up to ~120 characters) are wrapped and shrunk to fit.
    pub course_title: &'a str,
    pub tutor_name: &'a str,
    /// Already formatted for the locale, e.g. "30 ноября 2026" or "November 30, 2026".
    pub issued_on: &'a str,
    /// The final exam score, 0–100 (larger values are shown as 100%).
    pub score_percent: u32,
    /// The certificate's unique code, e.g. "TUT-7K4M-Q2XZ-9PLD".
    pub code: &'a str,
    /// The public verification page; encoded in the QR code and printed under it.
    pub verify_url: &'a str,
    /// Labels in Russian (`true`) or English.
    pub locale_ru: bool,
}

/// Renders the certificate; returns the PDF file's bytes.
pub fn render(c: &CertificateData) -> Result<Vec<u8>, String> {
    let labels = if c.locale_ru { &RU } else { &EN };
    let data = Cleaned {
        learner_name: clean(c.learner_name),
        course_title: clean(c.course_title),
        tutor_name: clean(c.tutor_name),
        issued_on: clean(c.issued_on),
        code: clean(c.code),
        verify_url: c.verify_url.trim().to_string(),
        score: format!("{}%", c.score_percent.min(100)),
    };
    let qr = QrCode::with_error_correction_level(data.verify_url.as_bytes(), EcLevel::M)
        .map_err(|e| format!("QR code for the verification link: {e}"))?;

    let mut canvas = Canvas::new()?;
    let links = draw(&mut canvas, labels, &data, &qr);
    let heading = format!("{} {}", labels.heading, labels.heading_sub).to_lowercase();
    let mut heading_chars = heading.chars();
    let heading: String = heading_chars
        .next()
        .map(|first| first.to_uppercase().chain(heading_chars).collect())
        .unwrap_or_default();
    let meta = Meta {
        lang: if c.locale_ru { "ru" } else { "en" },
        title: format!("{heading}: {} — {}", data.learner_name, data.course_title),
        subject: data.code.clone(),
        link_uri: &data.verify_url,
    };
    canvas.finish(&meta, &links)
}

/// A one-page handout for learners (A4 landscape, in the certificate's frame): the Tutorium
/// mark, a heading, a line under it and paragraphs; a paragraph starting with "- " is a bullet.
/// The demo attaches these to its lessons; any "cheat sheet" of a lesson fits one.
pub struct Handout<'a> {
    pub title: &'a str,
    /// Under the heading, e.g. the course's name.
    pub subtitle: &'a str,
    pub paragraphs: &'a [&'a str],
    pub locale_ru: bool,
}

/// Renders a handout; text that does not fit the page is cut with an ellipsis.
pub fn render_handout(h: &Handout) -> Result<Vec<u8>, String> {
    const LEFT: f32 = 78.0;
    const WIDTH: f32 = PAGE_W - 2.0 * LEFT;
    const BOTTOM: f32 = PAGE_H - 62.0;
    let mut cv = Canvas::new()?;
    draw_frame(&mut cv);
    logo(&mut cv, LEFT, 52.0, 20.0);
    cv.text(
        Style(F::SansBold, 13.0, 0.0, INK),
        LEFT + 27.0,
        66.5,
        "Tutorium",
    );
    let title = cv.fit_or_ellipsize(F::SerifBold, 0.0, &clean(h.title), WIDTH, 30.0, 16.0);
    cv.text(
        Style(F::SerifBold, title.size, 0.0, INDIGO),
        LEFT,
        116.0,
        &title.text,
    );
    let subtitle = cv.fit_or_ellipsize(F::Sans, 0.0, &clean(h.subtitle), WIDTH, 12.0, 8.0);
    cv.text(
        Style(F::Sans, subtitle.size, 0.0, MUTED),
        LEFT,
        138.0,
        &subtitle.text,
    );
    cv.stroke(LINE, 0.8);
    cv.line(LEFT, 152.0, LEFT + WIDTH, 152.0);

    let size = 13.0;
    let lead = size * 1.45;
    let mut baseline = 184.0;
    'page: for para in h.paragraphs {
        let (bullet, text) = match para.strip_prefix("- ") {
            Some(rest) => (true, rest),
            None => (false, *para),
        };
        let indent = if bullet { 16.0 } else { 0.0 };
        let lines = cv.wrap(F::Sans, &clean(text), (WIDTH - indent) / size);
        for (i, line) in lines.iter().enumerate() {
            if baseline > BOTTOM {
                break 'page;
            }
            let last_room = baseline + lead > BOTTOM && i + 1 < lines.len();
            let line = if last_room {
                cv.fit_or_ellipsize(
                    F::Sans,
                    0.0,
                    &format!("{line} …"),
                    WIDTH - indent,
                    size,
                    size,
                )
                .text
            } else {
                line.clone()
            };
            if bullet && i == 0 {
                cv.fill(INDIGO);
                cv.circle(LEFT + 4.0, baseline - size * 0.33, 2.4);
                cv.c.fill_nonzero();
            }
            cv.text(
                Style(F::Sans, size, 0.0, INK),
                LEFT + indent,
                baseline,
                &line,
            );
            baseline += lead;
        }
        baseline += size * 0.6;
    }
    let meta = Meta {
        lang: if h.locale_ru { "ru" } else { "en" },
        title: clean(h.title),
        subject: clean(h.subtitle),
        link_uri: "",
    };
    cv.finish(&meta, &Links(Vec::new()))
}

/// What a document says about itself: its language, title and subject, and where its links go.
struct Meta<'a> {
    lang: &'a str,
    title: String,
    subject: String,
    link_uri: &'a str,
}

// ---------------------------------------------------------------------------------------------
// Design

/// A4 landscape, in points.
const PAGE_W: f32 = 841.89;
const PAGE_H: f32 = 595.28;
const CX: f32 = PAGE_W / 2.0;

const INDIGO: Rgb = hex(0x4f46e5);
const INDIGO_DARK: Rgb = hex(0x3730a3);
const INK: Rgb = hex(0x1e1b4b);
const MUTED: Rgb = hex(0x6b7280);
const LINE: Rgb = hex(0xc7d2fe);
const TINT: Rgb = hex(0xeef2ff);
const WHITE: Rgb = hex(0xffffff);

struct Labels {
    heading: &'static str,
    heading_sub: &'static str,
    certifies: &'static str,
    completed: &'static str,
    tutor: &'static str,
    issued: &'static str,
    score: &'static str,
    code: &'static str,
}

const EN: Labels = Labels {
    heading: "CERTIFICATE",
    heading_sub: "OF COMPLETION",
    certifies: "This certifies that",
    completed: "has successfully completed the course",
    tutor: "Tutor",
    issued: "Date of issue",
    score: "FINAL EXAM",
    code: "Certificate ID",
};

const RU: Labels = Labels {
    heading: "СЕРТИФИКАТ",
    heading_sub: "О ПРОХОЖДЕНИИ КУРСА",
    certifies: "Настоящим подтверждается, что",
    completed: "успешно прошёл(ла) курс",
    tutor: "Преподаватель",
    issued: "Дата выдачи",
    score: "ИТОГОВЫЙ ТЕСТ",
    code: "Номер сертификата",
};

struct Cleaned {
    learner_name: String,
    course_title: String,
    tutor_name: String,
    issued_on: String,
    code: String,
    verify_url: String,
    score: String,
}

/// Collapses whitespace (including newlines) to single spaces and drops control characters.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// Areas of the page that open the verification link (PDF rectangles, bottom-left origin).
struct Links(Vec<Rect>);

fn draw(cv: &mut Canvas, l: &Labels, d: &Cleaned, qr: &QrCode) -> Links {
    draw_frame(cv);

    // Brand mark: a rounded indigo tile with a white mortarboard, then the name.
    let brand_size = 17.0;
    let tile = 24.0;
    let brand_w = cv.width(F::SansBold, brand_size, 0.0, "Tutorium");
    let x0 = CX - (tile + 8.0 + brand_w) / 2.0;
    logo(cv, x0, 50.0, tile);
    cv.text(
        Style(F::SansBold, brand_size, 0.0, INK),
        x0 + tile + 8.0,
        68.5,
        "Tutorium",
    );

    // Heading.
    let size = cv.fit(F::SerifBold, 0.12, l.heading, 620.0, 46.0, 24.0);
    cv.text_center(
        Style(F::SerifBold, size, 0.12, INDIGO),
        CX,
        134.0,
        l.heading,
    );
    let size = cv.fit(F::SansBold, 0.3, l.heading_sub, 560.0, 13.0, 9.0);
    cv.text_center(Style(F::SansBold, size, 0.3, INK), CX, 160.0, l.heading_sub);
    ornament(cv, CX, 180.0);

    cv.text_center(Style(F::Sans, 13.0, 0.0, MUTED), CX, 212.0, l.certifies);

    // The learner's name, as large as fits on one line.
    let name = cv.fit_or_ellipsize(F::SerifBold, 0.0, &d.learner_name, 640.0, 38.0, 18.0);
    cv.text_center(
        Style(F::SerifBold, name.size, 0.0, INK),
        CX,
        258.0,
        &name.text,
    );
    let rule = (cv.width(F::SerifBold, name.size, 0.0, &name.text) + 80.0).clamp(380.0, 680.0);
    cv.stroke(LINE, 0.8);
    cv.line(CX - rule / 2.0, 274.0, CX + rule / 2.0, 274.0);

    cv.text_center(Style(F::Sans, 13.0, 0.0, MUTED), CX, 302.0, l.completed);

    // The course title: up to two lines at a comfortable size, else three smaller ones.
    let title = cv.paragraph(F::SansBold, &d.course_title, 640.0);
    let lead = title.size * 1.22;
    let first = 334.0 + title.size * 0.35;
    for (i, line) in title.lines.iter().enumerate() {
        cv.text_center(
            Style(F::SansBold, title.size, 0.0, INDIGO_DARK),
            CX,
            first + lead * i as f32,
            line,
        );
    }

    // Bottom row: tutor and date (left), score seal (centre), QR code (right).
    let left = 205.0;
    signature(cv, left, 448.0, &d.tutor_name, l.tutor);
    signature(cv, left, 508.0, &d.issued_on, l.issued);
    seal(cv, CX, 470.0, &d.score, l.score);
    verification(cv, PAGE_W - left, 410.0, qr, d, l)
}

/// The Tutorium mark: a mortarboard on a rounded indigo tile, `size` points square.
fn logo(cv: &mut Canvas, x: f32, top: f32, size: f32) {
    cv.fill(INDIGO);
    cv.rounded_rect(x, top, size, size, size / 4.0);
    cv.c.fill_nonzero();
    let u = size / 24.0;
    let (cx, cy) = (x + size / 2.0, top + size / 2.0);
    let p = |dx: f32, dy: f32| (cx + dx * u, cy + dy * u);
    cv.fill(WHITE);
    // The cap under the board, then the board (a flat rhombus) over it.
    cv.polygon(&[
        p(-5.5, -0.5),
        p(5.5, -0.5),
        p(5.5, 4.5),
        p(0.0, 6.5),
        p(-5.5, 4.5),
    ]);
    cv.c.fill_nonzero();
    cv.fill(INDIGO);
    cv.polygon(&[p(-11.0, -3.0), p(0.0, -8.5), p(11.0, -3.0), p(0.0, 2.5)]);
    cv.c.fill_nonzero();
    cv.fill(WHITE);
    cv.polygon(&[p(-9.5, -3.0), p(0.0, -7.5), p(9.5, -3.0), p(0.0, 1.5)]);
    cv.c.fill_nonzero();
    // The tassel.
    cv.stroke(WHITE, 1.1 * u);
    cv.line(p(7.5, -1.5).0, p(7.5, -1.5).1, p(7.5, 4.5).0, p(7.5, 4.5).1);
    cv.fill(WHITE);
    cv.circle(p(7.5, 5.2).0, p(7.5, 5.2).1, 1.3 * u);
    cv.c.fill_nonzero();
}

/// A five-pointed star centred at (cx, cy), top-down, with outer radius `r`; fill it after.
fn star(cv: &mut Canvas, cx: f32, cy: f32, r: f32) {
    let points: Vec<(f32, f32)> = (0..10)
        .map(|i| {
            let a = std::f32::consts::PI * (i as f32 / 5.0 - 0.5);
            let r = if i % 2 == 0 { r } else { r * 0.42 };
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    cv.polygon(&points);
}

/// A solid indigo band at the page edge, a double rule inside it and diamonds at the corners.
fn draw_frame(cv: &mut Canvas) {
    let band = 12.0;
    cv.fill(TINT);
    cv.c.rect(band, band, PAGE_W - 2.0 * band, PAGE_H - 2.0 * band);
    cv.c.fill_nonzero();
    cv.fill(WHITE);
    let card = 30.0;
    cv.c.rect(card, card, PAGE_W - 2.0 * card, PAGE_H - 2.0 * card);
    cv.c.fill_nonzero();

    cv.fill(INDIGO);
    cv.c.rect(0.0, 0.0, PAGE_W, PAGE_H);
    cv.c.rect(band, band, PAGE_W - 2.0 * band, PAGE_H - 2.0 * band);
    cv.c.fill_even_odd();

    cv.stroke(INDIGO, 1.2);
    cv.c.rect(card, card, PAGE_W - 2.0 * card, PAGE_H - 2.0 * card);
    cv.c.stroke();
    let inner = card + 5.0;
    cv.stroke(LINE, 0.6);
    cv.c.rect(inner, inner, PAGE_W - 2.0 * inner, PAGE_H - 2.0 * inner);
    cv.c.stroke();

    for (x, y) in [
        (card, card),
        (PAGE_W - card, card),
        (card, PAGE_H - card),
        (PAGE_W - card, PAGE_H - card),
    ] {
        cv.fill(WHITE);
        cv.diamond(x, y, 9.0);
        cv.c.fill_nonzero();
        cv.fill(INDIGO);
        cv.diamond(x, y, 6.0);
        cv.c.fill_nonzero();
    }
}

/// A rule with a diamond in the middle, under the heading.
fn ornament(cv: &mut Canvas, cx: f32, y: f32) {
    cv.stroke(LINE, 0.9);
    cv.line(cx - 110.0, y, cx - 12.0, y);
    cv.line(cx + 12.0, y, cx + 110.0, y);
    cv.fill(INDIGO);
    cv.diamond_top(cx, y, 4.5);
    cv.c.fill_nonzero();
    cv.diamond_top(cx - 9.0, y, 2.0);
    cv.diamond_top(cx + 9.0, y, 2.0);
    cv.c.fill_nonzero();
}

/// A value over a rule with a small label under it.
fn signature(cv: &mut Canvas, cx: f32, baseline: f32, value: &str, label: &str) {
    let width = 230.0;
    let size = cv.fit(F::SerifBold, 0.0, value, width, 14.0, 11.0);
    let lines = cv.lines(F::SerifBold, value, width, size, 2);
    for (i, line) in lines.iter().rev().enumerate() {
        let y = baseline - i as f32 * size * 1.15;
        cv.text_center(Style(F::SerifBold, size, 0.0, INK), cx, y, line);
    }
    cv.stroke(LINE, 0.8);
    cv.line(
        cx - width / 2.0,
        baseline + 8.0,
        cx + width / 2.0,
        baseline + 8.0,
    );
    let label = label.to_uppercase();
    cv.text_center(
        Style(F::Sans, 7.5, 0.12, MUTED),
        cx,
        baseline + 20.0,
        &label,
    );
}

/// A rosette seal with ribbon tails, showing the final exam score.
fn seal(cv: &mut Canvas, cx: f32, cy: f32, score: &str, label: &str) {
    // Ribbon tails behind the seal.
    cv.fill(INDIGO_DARK);
    for side in [-1.0f32, 1.0] {
        let p = |x: f32, y: f32| (cx + side * x, cy + y);
        cv.polygon(&[
            p(8.0, 26.0),
            p(28.0, 18.0),
            p(40.0, 68.0),
            p(29.0, 61.0),
            p(20.0, 74.0),
        ]);
    }
    cv.c.fill_nonzero();

    // Rosette: a star polygon with many shallow points, then rings.
    let points = 36;
    let mut rosette = Vec::with_capacity(points * 2);
    for i in 0..points * 2 {
        let a = std::f32::consts::PI * i as f32 / points as f32;
        let r = if i % 2 == 0 { 47.0 } else { 43.5 };
        rosette.push((cx + r * a.cos(), cy + r * a.sin()));
    }
    cv.fill(INDIGO);
    cv.polygon(&rosette);
    cv.c.fill_nonzero();
    cv.stroke(WHITE, 0.8);
    cv.circle(cx, cy, 38.0);
    cv.c.stroke();
    cv.stroke(WHITE, 0.4);
    cv.circle(cx, cy, 35.5);
    cv.c.stroke();

    let size = cv.fit(F::SansBold, 0.0, score, 58.0, 21.0, 12.0);
    cv.text_center(Style(F::SansBold, size, 0.0, WHITE), cx, cy + 5.0, score);
    let size = cv.fit(F::SansBold, 0.08, label, 54.0, 6.0, 4.0);
    cv.text_center(Style(F::SansBold, size, 0.08, WHITE), cx, cy + 17.0, label);
    cv.fill(WHITE);
    for dx in [-8.0, 0.0, 8.0] {
        star(cv, cx + dx, cy - 19.0, 3.0);
    }
    cv.c.fill_nonzero();
}

/// The QR code (centred at `cx`, top at `top`), the certificate code and the link under it.
fn verification(cv: &mut Canvas, cx: f32, top: f32, qr: &QrCode, d: &Cleaned, l: &Labels) -> Links {
    // Module size from the code's width; the white card around it is the 4-module quiet zone.
    let n = qr.width();
    let side = 84.0;
    let m = side / n as f32;
    let pad = 4.0 * m;
    let x = cx - side / 2.0;
    cv.fill(WHITE);
    cv.stroke(LINE, 0.8);
    cv.rounded_rect(x - pad, top - pad, side + 2.0 * pad, side + 2.0 * pad, 5.0);
    cv.c.fill_nonzero_and_stroke();

    // Dark modules, one rectangle per horizontal run, filled as one path. Runs overlap a hair
    // so no seams show between neighbouring rows.
    let colors = qr.to_colors();
    cv.fill(INK);
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] != Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && colors[row * n + col] == Color::Dark {
                col += 1;
            }
            let y = PAGE_H - top - (row + 1) as f32 * m;
            cv.c.rect(
                x + start as f32 * m,
                y - 0.05,
                (col - start) as f32 * m + 0.05,
                m + 0.1,
            );
        }
    }
    cv.c.fill_nonzero();

    let mut baseline = top + side + pad + 15.0;
    let label = format!("{}: ", l.code);
    let label_w = cv.width(F::Sans, 8.0, 0.0, &label);
    let code_size = cv.fit(F::SansBold, 0.06, &d.code, 230.0 - label_w, 9.5, 6.0);
    let code_w = cv.width(F::SansBold, code_size, 0.06, &d.code);
    let x0 = cx - (label_w + code_w) / 2.0;
    cv.text(Style(F::Sans, 8.0, 0.0, MUTED), x0, baseline, &label);
    cv.text(
        Style(F::SansBold, code_size, 0.06, INK),
        x0 + label_w,
        baseline,
        &d.code,
    );
    baseline += 11.0;
    let url = cv.fit_or_ellipsize(F::Sans, 0.0, &d.verify_url, 250.0, 7.0, 4.5);
    cv.text_center(
        Style(F::Sans, url.size, 0.0, INDIGO),
        cx,
        baseline,
        &url.text,
    );
    let url_w = cv.width(F::Sans, url.size, 0.0, &url.text);

    Links(vec![
        Rect::new(
            x - pad,
            PAGE_H - top - side - pad,
            x + side + pad,
            PAGE_H - top + pad,
        ),
        Rect::new(
            cx - url_w / 2.0,
            PAGE_H - baseline - 2.0,
            cx + url_w / 2.0,
            PAGE_H - baseline + url.size,
        ),
    ])
}

// ---------------------------------------------------------------------------------------------
// Drawing: a content stream plus the fonts it uses. Coordinates passed in are from the top of the
// page (like a screen), converted to PDF's bottom-up ones here.

#[derive(Clone, Copy)]
struct Rgb(f32, f32, f32);

const fn hex(v: u32) -> Rgb {
    Rgb(
        ((v >> 16) & 0xff) as f32 / 255.0,
        ((v >> 8) & 0xff) as f32 / 255.0,
        (v & 0xff) as f32 / 255.0,
    )
}

/// How text looks: font, size in points, letter spacing in em, colour.
#[derive(Clone, Copy)]
struct Style(F, f32, f32, Rgb);

/// The embedded fonts, by index into [`FONTS`].
#[derive(Clone, Copy)]
enum F {
    Sans = 0,
    SansBold = 1,
    SerifBold = 2,
}

struct FontSpec {
    data: &'static [u8],
    ps_name: &'static str,
    resource: &'static [u8],
    serif: bool,
}

const FONTS: [FontSpec; 3] = [
    FontSpec {
        data: include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
        ps_name: "DejaVuSans",
        resource: b"F1",
        serif: false,
    },
    FontSpec {
        data: include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
        ps_name: "DejaVuSans-Bold",
        resource: b"F2",
        serif: false,
    },
    FontSpec {
        data: include_bytes!("../../assets/fonts/DejaVuSerif-Bold.ttf"),
        ps_name: "DejaVuSerif-Bold",
        resource: b"F3",
        serif: true,
    },
];

/// A font and the glyphs used from it so far.
struct Font {
    spec: &'static FontSpec,
    face: Face<'static>,
    /// Font units to em.
    scale: f32,
    glyphs: GlyphRemapper,
    /// By new glyph id (the CID written in the content): the original glyph and its character.
    used: Vec<(GlyphId, char)>,
}

impl Font {
    fn new(spec: &'static FontSpec) -> Result<Self, String> {
        let face = Face::parse(spec.data, 0).map_err(|e| format!("font {}: {e}", spec.ps_name))?;
        let scale = 1.0 / f32::from(face.units_per_em());
        Ok(Self {
            spec,
            face,
            scale,
            glyphs: GlyphRemapper::new(),
            used: vec![(GlyphId(0), ' ')],
        })
    }

    fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(GlyphId(0))
    }

    fn advance(&self, g: GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * self.scale
    }

    /// Pair kerning in em (negative: closer), from the font's `kern` table.
    fn kerning(&self, left: GlyphId, right: GlyphId) -> f32 {
        let Some(kern) = self.face.tables().kern else {
            return 0.0;
        };
        kern.subtables
            .into_iter()
            .filter(|s| s.horizontal && !s.variable)
            .find_map(|s| s.glyphs_kerning(left, right))
            .map_or(0.0, |v| f32::from(v) * self.scale)
    }

    /// Width of `text` at size 1, with `track` em of spacing between characters.
    fn measure(&self, text: &str, track: f32) -> f32 {
        let mut w = 0.0;
        let mut prev = None;
        let mut count = 0;
        for c in text.chars() {
            let g = self.glyph(c);
            if let Some(p) = prev {
                w += self.kerning(p, g);
            }
            w += self.advance(g);
            prev = Some(g);
            count += 1;
        }
        w + track * (count.max(1) - 1) as f32
    }

    /// The id `g` has in the subset, recording it for the ToUnicode map.
    fn use_glyph(&mut self, g: GlyphId, c: char) -> u16 {
        let id = self.glyphs.remap(g.0);
        if usize::from(id) == self.used.len() {
            self.used.push((g, c));
        }
        id
    }
}

/// Text fitted to a width: the size chosen and the (possibly shortened) text.
struct Fitted {
    size: f32,
    text: String,
}

/// A wrapped paragraph.
struct Paragraph {
    size: f32,
    lines: Vec<String>,
}

struct Canvas {
    c: Content,
    fonts: Vec<Font>,
}

impl Canvas {
    fn new() -> Result<Self, String> {
        let fonts = FONTS.iter().map(Font::new).collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            c: Content::new(),
            fonts,
        })
    }

    fn font(&self, f: F) -> &Font {
        &self.fonts[f as usize]
    }

    /// Width in points of `text` at `size`, with `track` em between characters.
    fn width(&self, f: F, size: f32, track: f32, text: &str) -> f32 {
        self.font(f).measure(text, track) * size
    }

    /// The largest size up to `max` at which `text` fits `width`, but not below `min`.
    fn fit(&self, f: F, track: f32, text: &str, width: f32, max: f32, min: f32) -> f32 {
        let w = self.font(f).measure(text, track);
        if w <= 0.0 {
            max
        } else {
            (width / w).clamp(min, max)
        }
    }

    /// Like [`Self::fit`], and if the text is too wide even at `min`, cut with an ellipsis.
    fn fit_or_ellipsize(
        &self,
        f: F,
        track: f32,
        text: &str,
        width: f32,
        max: f32,
        min: f32,
    ) -> Fitted {
        let size = self.fit(f, track, text, width, max, min);
        let font = self.font(f);
        if font.measure(text, track) * size <= width + 0.01 {
            return Fitted {
                size,
                text: text.to_string(),
            };
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let mut s: String = chars.iter().collect::<String>().trim_end().to_string();
            s.push('…');
            if font.measure(&s, track) * size <= width {
                return Fitted { size, text: s };
            }
        }
        Fitted {
            size,
            text: "…".to_string(),
        }
    }

    /// Greedy word wrap to `width` em; a word longer than a line is broken between characters.
    fn wrap(&self, f: F, text: &str, width: f32) -> Vec<String> {
        let font = self.font(f);
        let space = font.measure(" ", 0.0);
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in text.split_whitespace() {
            let w = font.measure(word, 0.0);
            if !line.is_empty() && line_w + space + w <= width {
                line.push(' ');
                line.push_str(word);
                line_w += space + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if w <= width {
                line.push_str(word);
                line_w = w;
                continue;
            }
            // Break an over-long word.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if font.measure(&piece, 0.0) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line_w = font.measure(&piece, 0.0);
            line = piece;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Wraps into the same number of lines as a greedy wrap, but with lines of similar length
    /// (the narrowest width that still needs no more lines).
    fn wrap_balanced(&self, f: F, text: &str, width: f32) -> Vec<String> {
        let lines = self.wrap(f, text, width);
        if lines.len() < 2 {
            return lines;
        }
        let (mut lo, mut hi) = (0.0, width);
        for _ in 0..12 {
            let mid = (lo + hi) / 2.0;
            if self.wrap(f, text, mid).len() <= lines.len() {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        self.wrap(f, text, hi)
    }

    /// A paragraph `width` points wide: two lines at 22–16 pt if that fits, else three at
    /// 20–14 pt; the last line is cut with an ellipsis if even that is not enough.
    fn paragraph(&self, f: F, text: &str, width: f32) -> Paragraph {
        let tries = [
            (22.0, 2),
            (20.0, 2),
            (18.0, 2),
            (17.0, 2),
            (16.0, 2),
            (18.0, 3),
            (16.0, 3),
        ];
        for (size, max_lines) in tries {
            let lines = self.wrap_balanced(f, text, width / size);
            if lines.len() <= max_lines {
                return Paragraph { size, lines };
            }
        }
        let size = 14.0;
        Paragraph {
            size,
            lines: self.lines(f, text, width, size, 3),
        }
    }

    /// `text` wrapped at `size` to `width` points in at most `max_lines` lines, the last one
    /// cut with an ellipsis if needed.
    fn lines(&self, f: F, text: &str, width: f32, size: f32, max_lines: usize) -> Vec<String> {
        let mut lines = self.wrap_balanced(f, text, width / size);
        if lines.len() > max_lines {
            let rest = lines.split_off(max_lines - 1).join(" ");
            lines.push(self.fit_or_ellipsize(f, 0.0, &rest, width, size, size).text);
        }
        lines
    }

    /// Left-aligned text with its baseline `baseline` points from the top of the page.
    fn text(&mut self, style: Style, x: f32, baseline: f32, text: &str) {
        let Style(f, size, track, color) = style;
        let font = &mut self.fonts[f as usize];
        let c = &mut self.c;
        // Letter-spaced text would come out of text extraction as "C E R T I F I C A T E".
        if track != 0.0 {
            c.begin_marked_content_with_properties(Name(b"Span"))
                .properties()
                .actual_text(TextStr(text));
        }
        c.begin_text();
        c.set_font(Name(font.spec.resource), size);
        c.set_char_spacing(track * size);
        c.set_fill_rgb(color.0, color.1, color.2);
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, PAGE_H - baseline]);
        {
            let mut show = c.show_positioned();
            let mut items = show.items();
            let mut run: Vec<u8> = Vec::with_capacity(text.len() * 2);
            let mut prev = None;
            for ch in text.chars() {
                let g = font.glyph(ch);
                if let Some(p) = prev {
                    let k = font.kerning(p, g);
                    if k != 0.0 {
                        items.show(Str(&run));
                        run.clear();
                        items.adjust(-k * 1000.0);
                    }
                }
                run.extend_from_slice(&font.use_glyph(g, ch).to_be_bytes());
                prev = Some(g);
            }
            if !run.is_empty() {
                items.show(Str(&run));
            }
        }
        c.end_text();
        if track != 0.0 {
            c.end_marked_content();
        }
    }

    /// Text centred on `cx`.
    fn text_center(&mut self, style: Style, cx: f32, baseline: f32, text: &str) {
        let Style(f, size, track, _) = style;
        let w = self.width(f, size, track, text);
        self.text(style, cx - w / 2.0, baseline, text);
    }

    fn fill(&mut self, color: Rgb) {
        self.c.set_fill_rgb(color.0, color.1, color.2);
    }

    fn stroke(&mut self, color: Rgb, width: f32) {
        self.c.set_stroke_rgb(color.0, color.1, color.2);
        self.c.set_line_width(width);
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.c.set_line_cap(LineCapStyle::RoundCap);
        self.c.move_to(x1, PAGE_H - y1);
        self.c.line_to(x2, PAGE_H - y2);
        self.c.stroke();
    }

    /// A closed polygon path (top-down points); fill or stroke it after.
    fn polygon(&mut self, points: &[(f32, f32)]) {
        let Some(&(x, y)) = points.first() else {
            return;
        };
        self.c.move_to(x, PAGE_H - y);
        for &(x, y) in &points[1..] {
            self.c.line_to(x, PAGE_H - y);
        }
        self.c.close_path();
    }

    /// A diamond centred at (x, y) given in PDF (bottom-up) coordinates.
    fn diamond(&mut self, x: f32, y: f32, r: f32) {
        self.c.move_to(x, y + r);
        self.c.line_to(x + r, y);
        self.c.line_to(x, y - r);
        self.c.line_to(x - r, y);
        self.c.close_path();
    }

    /// A diamond centred at (x, y) given top-down.
    fn diamond_top(&mut self, x: f32, y: f32, r: f32) {
        self.diamond(x, PAGE_H - y, r);
    }

    /// A circle path centred at (cx, cy) given top-down.
    fn circle(&mut self, cx: f32, cy: f32, r: f32) {
        const K: f32 = 0.552_284_8;
        let (x, y, k) = (cx, PAGE_H - cy, r * K);
        self.c.move_to(x + r, y);
        self.c.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
        self.c.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
        self.c.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
        self.c.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
        self.c.close_path();
    }

    /// A rounded rectangle path with its top-left corner at (x, top).
    fn rounded_rect(&mut self, x: f32, top: f32, w: f32, h: f32, r: f32) {
        const K: f32 = 0.552_284_8;
        let (x0, y0, x1, y1) = (x, PAGE_H - top - h, x + w, PAGE_H - top);
        let k = r * K;
        self.c.move_to(x0 + r, y0);
        self.c.line_to(x1 - r, y0);
        self.c.cubic_to(x1 - r + k, y0, x1, y0 + r - k, x1, y0 + r);
        self.c.line_to(x1, y1 - r);
        self.c.cubic_to(x1, y1 - r + k, x1 - r + k, y1, x1 - r, y1);
        self.c.line_to(x0 + r, y1);
        self.c.cubic_to(x0 + r - k, y1, x0, y1 - r + k, x0, y1 - r);
        self.c.line_to(x0, y0 + r);
        self.c.cubic_to(x0, y0 + r - k, x0 + r - k, y0, x0 + r, y0);
        self.c.close_path();
    }

    /// Writes the document: page, fonts (subset), metadata and the verification links.
    fn finish(self, meta: &Meta, links: &Links) -> Result<Vec<u8>, String> {
        let mut pdf = Pdf::new();
        let mut alloc = Ref::new(1);
        let catalog_id = alloc.bump();
        let tree_id = alloc.bump();
        let page_id = alloc.bump();
        let content_id = alloc.bump();
        let info_id = alloc.bump();
        let link_ids: Vec<Ref> = links.0.iter().map(|_| alloc.bump()).collect();
        let font_ids: Vec<Option<Ref>> = self
            .fonts
            .iter()
            .map(|f| (f.used.len() > 1).then(|| alloc.bump()))
            .collect();

        pdf.catalog(catalog_id)
            .pages(tree_id)
            .lang(TextStr(meta.lang));
        pdf.pages(tree_id).kids([page_id]).count(1);

        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree_id);
        page.contents(content_id);
        page.annotations(link_ids.iter().copied());
        {
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            for (font, id) in self.fonts.iter().zip(&font_ids) {
                if let Some(id) = id {
                    fonts.pair(Name(font.spec.resource), *id);
                }
            }
        }
        page.finish();

        let content = deflate(&self.c.finish())?;
        pdf.stream(content_id, &content).filter(Filter::FlateDecode);

        for (rect, id) in links.0.iter().zip(&link_ids) {
            let mut link = pdf.annotation(*id);
            link.subtype(AnnotationType::Link)
                .rect(*rect)
                .border(0.0, 0.0, 0.0, None);
            link.action()
                .action_type(ActionType::Uri)
                .uri(Str(meta.link_uri.as_bytes()));
        }

        for (font, id) in self.fonts.iter().zip(&font_ids) {
            if let Some(id) = id {
                write_font(&mut pdf, &mut alloc, font, *id)?;
            }
        }

        let mut info = pdf.document_info(info_id);
        info.title(TextStr(&meta.title));
        info.author(TextStr("Tutorium"));
        info.subject(TextStr(&meta.subject));
        info.creator(TextStr("Tutorium"));
        info.finish();

        Ok(pdf.finish())
    }
}

const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// Writes a Type 0 font with a TrueType CID font holding the subset of the glyphs used.
fn write_font(pdf: &mut Pdf, alloc: &mut Ref, font: &Font, type0_id: Ref) -> Result<(), String> {
    let cid_id = alloc.bump();
    let descriptor_id = alloc.bump();
    let file_id = alloc.bump();
    let cmap_id = alloc.bump();
    let base = format!("{}+{}", subset_tag(font), font.spec.ps_name);
    let base = Name(base.as_bytes());

    pdf.type0_font(type0_id)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let em = 1000.0;
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(IDENTITY)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(
        0,
        font.used
            .iter()
            .map(|&(g, _)| (font.advance(g) * em).round()),
    );
    cid.finish();

    let face = &font.face;
    let s = font.scale * em;
    let bbox = face.global_bounding_box();
    let mut flags = FontFlags::SYMBOLIC;
    if font.spec.serif {
        flags |= FontFlags::SERIF;
    }
    pdf.font_descriptor(descriptor_id)
        .name(base)
        .flags(flags)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * s,
            f32::from(bbox.y_min) * s,
            f32::from(bbox.x_max) * s,
            f32::from(bbox.y_max) * s,
        ))
        .italic_angle(face.italic_angle())
        .ascent(f32::from(face.ascender()) * s)
        .descent(f32::from(face.descender()) * s)
        .cap_height(f32::from(face.capital_height().unwrap_or(face.ascender())) * s)
        .stem_v(10.0 + 0.244 * (f32::from(face.weight().to_number()) - 50.0))
        .font_file2(file_id);

    let subset = subsetter::subset(font.spec.data, 0, &font.glyphs)
        .map_err(|e| format!("subsetting {}: {e}", font.spec.ps_name))?;
    let packed = deflate(&subset)?;
    let length = i32::try_from(subset.len()).map_err(|e| e.to_string())?;
    pdf.stream(file_id, &packed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), length);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
    for (id, &(_, c)) in font.used.iter().enumerate().skip(1) {
        cmap.pair(u16::try_from(id).map_err(|e| e.to_string())?, c);
    }
    let cmap = deflate(&cmap.finish())?;
    pdf.cmap(cmap_id, &cmap).filter(Filter::FlateDecode);
    Ok(())
}

/// The six capital letters that prefix a subset font's name; they differ between subsets.
fn subset_tag(font: &Font) -> String {
    // FNV-1a over the font name and the glyphs kept.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = font
        .spec
        .ps_name
        .bytes()
        .chain(font.used.iter().flat_map(|(g, _)| g.0.to_be_bytes()));
    for b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 8)) % 26) as u8))
        .collect()
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 2), Compression::new(6));
    encoder.write_all(data).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn russian() -> CertificateData<'static> {
        CertificateData {
            learner_name: "Мария Иванова",
            course_title: "Асинхронный Rust на практике: Tokio, каналы, отмена задач и тестирование \
                           сетевых сервисов без гонок данных",
            tutor_name: "Алексей Смирнов",
            issued_on: "30 ноября 2026",
            score_percent: 92,
            code: "TUT-7K4M-Q2XZ-9PLD",
            verify_url: "https://tutorium.example/certificates/TUT-7K4M-Q2XZ-9PLD",
            locale_ru: true,
        }
    }

    fn english() -> CertificateData<'static> {
        CertificateData {
            learner_name: "Sofia Rossi",
            course_title: "Rust Fundamentals: Ownership and Borrowing",
            tutor_name: "Dr. Jonathan Whitaker",
            issued_on: "November 30, 2026",
            score_percent: 87,
            code: "TUT-3HWN-8B6R-ZQ4T",
            verify_url: "https://tutorium.example/certificates/TUT-3HWN-8B6R-ZQ4T",
            locale_ru: false,
        }
    }

    /// Writes `pdf` to a fresh temporary file.
    fn temp_pdf(pdf: &[u8], tag: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!(
            "tutorium-cert-test-{}-{tag}.pdf",
            std::process::id()
        ));
        std::fs::write(&path, pdf).unwrap();
        path
    }

    /// Runs a poppler tool; `None` (with a note) when poppler-utils is not installed.
    fn poppler(tool: &str, args: &[&str]) -> Option<Vec<u8>> {
        match Command::new(tool).args(args).output() {
            Ok(out) => {
                assert!(
                    out.status.success(),
                    "{tool}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                Some(out.stdout)
            }
            Err(e) => {
                eprintln!("note: skipping the {tool} check ({e}); apt-get install poppler-utils");
                None
            }
        }
    }

    /// The numbers of the page's /MediaBox (the dictionaries are not compressed).
    fn media_box(pdf: &[u8]) -> Vec<f32> {
        let text = String::from_utf8_lossy(pdf);
        let start = text.find("/MediaBox [").unwrap() + "/MediaBox [".len();
        let end = start + text[start..].find(']').unwrap();
        text[start..end]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect()
    }

    fn page_objects(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        text.match_indices("/Type /Page")
            .filter(|(i, _)| !text[i + 11..].starts_with('s'))
            .count()
    }

    fn check_structure(pdf: &[u8]) {
        assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        assert_eq!(page_objects(pdf), 1, "one page");
        assert!(String::from_utf8_lossy(pdf).contains("/Count 1"));
        let mb = media_box(pdf);
        assert_eq!(mb.len(), 4);
        assert_eq!((mb[0], mb[1]), (0.0, 0.0));
        assert!(
            (mb[2] - 842.0).abs() < 1.0 && (mb[3] - 595.0).abs() < 1.0,
            "A4 landscape: {mb:?}"
        );
        // Fonts are embedded as subsets (FontFile2 with a tagged name), not referenced.
        let text = String::from_utf8_lossy(pdf);
        assert_eq!(text.matches("/FontFile2").count(), 3);
        assert!(text.contains("+DejaVuSans-Bold"));
        assert!(text.contains("/ToUnicode"));
    }

    /// The extracted text, with whitespace collapsed (a wrapped title spans lines).
    fn extracted(path: &Path) -> Option<String> {
        let out = poppler("pdftotext", &[path.to_str().unwrap(), "-"])?;
        Some(clean(&String::from_utf8(out).unwrap()))
    }

    fn check(c: &CertificateData, tag: &str, expect: &[&str]) {
        let pdf = render(c).unwrap();
        check_structure(&pdf);
        assert!(pdf.len() < 80_000, "certificate is {} bytes", pdf.len());
        let path = temp_pdf(&pdf, tag);
        if let Some(text) = extracted(&path) {
            for want in [
                c.learner_name,
                &clean(c.course_title),
                c.code,
                c.tutor_name,
                c.issued_on,
            ]
            .iter()
            .chain(expect)
            {
                assert!(
                    text.contains(want),
                    "{want:?} not in the extracted text:\n{text}"
                );
            }
        }
        if let Some(url) = decode_qr(&path) {
            assert_eq!(url, c.verify_url);
        }
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn handout_holds_its_text_and_cuts_what_does_not_fit() {
        let long = "Очень длинный абзац, который повторяется много раз. ".repeat(40);
        let paragraphs = [
            "Дискриминант: D = b² − 4ac.",
            "- D > 0 — два корня;",
            "- D < 0 — действительных корней нет.",
            long.as_str(),
            "Этот абзац уже не помещается на страницу.",
        ];
        let h = Handout {
            title: "Квадратные уравнения",
            subtitle: "Алгебра 8–9 класс",
            paragraphs: &paragraphs,
            locale_ru: true,
        };
        let pdf = render_handout(&h).unwrap();
        check_structure(&pdf);
        assert_eq!(pdf, render_handout(&h).unwrap(), "deterministic");
        let path = temp_pdf(&pdf, "handout");
        if let Some(text) = extracted(&path) {
            for want in [
                "Tutorium",
                "Квадратные уравнения",
                "Алгебра 8–9 класс",
                "D = b² − 4ac.",
                "два корня;",
            ] {
                assert!(text.contains(want), "{want:?} not in:\n{text}");
            }
            assert!(text.contains('…'), "the overlong paragraph is cut: {text}");
            assert!(
                !text.contains("уже не помещается"),
                "nothing is drawn past the page"
            );
        }
        std::fs::remove_file(&path).ok();
    }

    /// Rasterises the page and reads the QR code back.
    fn decode_qr(path: &Path) -> Option<String> {
        let png = poppler(
            "pdftoppm",
            &["-png", "-gray", "-r", "150", path.to_str().unwrap()],
        )?;
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        let (w, h) = (img.width() as usize, img.height() as usize);
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            img.get_pixel(x as u32, y as u32).0[0]
        });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code on the page");
        let (_, content) = grids[0].decode().unwrap();
        Some(content)
    }

    #[test]
    fn renders_russian_certificate() {
        check(
            &russian(),
            "ru",
            &[
                "СЕРТИФИКАТ",
                "О ПРОХОЖДЕНИИ КУРСА",
                "Настоящим подтверждается",
                "92%",
            ],
        );
    }

    #[test]
    fn renders_english_certificate() {
        check(
            &english(),
            "en",
            &["CERTIFICATE", "OF COMPLETION", "This certifies that", "87%"],
        );
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(render(&english()).unwrap(), render(&english()).unwrap());
    }

    #[test]
    fn long_course_title_wraps_within_the_page() {
        let title = "Продвинутое системное программирование на Rust: unsafe, FFI, встраиваемые \
                     системы, ассемблерные вставки и профилирование";
        let cv = Canvas::new().unwrap();
        let p = cv.paragraph(F::SansBold, title, 640.0);
        assert!((2..=3).contains(&p.lines.len()), "{:?}", p.lines);
        for line in &p.lines {
            assert!(cv.width(F::SansBold, p.size, 0.0, line) <= 640.0, "{line}");
        }
        assert_eq!(p.lines.join(" "), title);
        // Balanced: no line is much shorter than the others.
        let widths: Vec<f32> = p
            .lines
            .iter()
            .map(|l| cv.width(F::SansBold, p.size, 0.0, l))
            .collect();
        let (min, max) = widths
            .iter()
            .fold((f32::MAX, 0.0f32), |(a, b), &w| (a.min(w), b.max(w)));
        assert!(min > max * 0.6, "{:?} {widths:?}", p.lines);
        // 120 characters still render.
        let title: String = title.chars().take(120).collect();
        let c = CertificateData {
            course_title: &title,
            ..russian()
        };
        check_structure(&render(&c).unwrap());
    }

    #[test]
    fn overlong_text_is_shrunk_and_cut_not_overflowing() {
        let cv = Canvas::new().unwrap();
        let name = "Александра-Виктория Константинопольская-Ростиславская ".repeat(4);
        let fitted = cv.fit_or_ellipsize(F::SerifBold, 0.0, name.trim(), 640.0, 38.0, 18.0);
        assert_eq!(fitted.size, 18.0);
        assert!(fitted.text.ends_with('…'));
        assert!(cv.width(F::SerifBold, fitted.size, 0.0, &fitted.text) <= 640.0);
        let long_word = "Ж".repeat(200);
        let lines = cv.paragraph(F::SansBold, &long_word, 640.0).lines;
        assert!(lines.len() <= 3);
        let c = CertificateData {
            learner_name: &name,
            course_title: &long_word,
            ..english()
        };
        check_structure(&render(&c).unwrap());
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(clean("  Sofia \n\t Rossi\u{7} "), "Sofia Rossi");
    }

    /// Certificates per second; run with
    /// `cargo test --release -p app --features ssr --lib certificates -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn bench_render() {
        let samples = [russian(), english()];
        for c in &samples {
            render(c).unwrap();
        }
        let n = 400;
        let start = std::time::Instant::now();
        let mut bytes = 0;
        for i in 0..n {
            bytes += render(&samples[i % 2]).unwrap().len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{n} certificates in {secs:.3} s: {:.0}/s, {:.2} ms each, {} bytes average",
            n as f64 / secs,
            secs * 1000.0 / n as f64,
            bytes / n
        );
    }

    /// Writes the samples to `$CERT_SAMPLES` (default /tmp) for looking at:
    /// `CERT_SAMPLES=/tmp cargo test -p app --features ssr --lib certificates::pdf::tests::samples -- --ignored`.
    #[test]
    #[ignore]
    fn samples() {
        let dir = std::env::var("CERT_SAMPLES").unwrap_or_else(|_| "/tmp".into());
        let long = CertificateData {
            learner_name: "Александра-Виктория Константинопольская",
            course_title: "Продвинутое системное программирование на Rust: unsafe, FFI, встраиваемые \
                           системы, ассемблерные вставки и профилирование",
            tutor_name: "Екатерина Владимировна Большакова-Преображенская",
            score_percent: 100,
            ..russian()
        };
        for (c, name) in [(russian(), "ru"), (english(), "en"), (long, "long")] {
            let pdf = render(&c).unwrap();
            let path = Path::new(&dir).join(format!("certificate-{name}.pdf"));
            std::fs::write(&path, &pdf).unwrap();
            println!("{}: {} bytes", path.display(), pdf.len());
        }
    }
}
