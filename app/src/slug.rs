//! Readable URL parts (profile handles, course addresses) from any text.

/// Latin letters, digits and single hyphens from any text (Russian is transliterated), at most
/// `max` characters.
pub fn slugify(name: &str, max: usize) -> String {
    let mut out = String::new();
    for ch in name.to_lowercase().chars() {
        let t: &str = match ch {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(t);
    }
    let mut handle = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !handle.is_empty() {
            handle.push('-');
        }
        handle.push_str(part);
    }
    let mut handle: String = handle.chars().take(max).collect();
    while handle.ends_with('-') {
        handle.pop();
    }
    handle
}
