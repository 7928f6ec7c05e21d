//! Commands in help texts: a file name or a name in, the word to paste into a terminal out.
//!
//! Staff copy the commands a finding suggests (`clinicsite review content/faq/what is it.md
//! --by "Medical Director"`) into a terminal, so every path and name in them is quoted when
//! the shell would split or change it. Plain names stay bare, and quoting keeps spaces,
//! apostrophes and accents readable: `"content/faq/what's new.md"`.

use std::path::Path;

/// `text` as one word for a POSIX shell (macOS, Linux) and for PowerShell: bare when every
/// character is a letter, a digit or one of `-_./,:@+=%`; otherwise in double quotes, or, when
/// it holds a character double quotes do not protect (`$`, `` ` ``, `\`, `"`, `!`), in
/// single quotes.
pub fn shell_word(text: &str) -> String {
    let mut word = String::with_capacity(text.len() + 2);
    push_shell_word(&mut word, text);
    word
}

/// `shell_word(text)` written at the end of `out`: a help text made of several words is
/// written into one string.
pub fn push_shell_word(out: &mut String, text: &str) {
    let plain = |c: char| {
        c.is_alphanumeric()
            || matches!(c, '-' | '_' | '.' | '/' | ',' | ':' | '@' | '+' | '=' | '%')
    };
    // Most names are ASCII: read byte by byte, without decoding characters.
    let all_plain = match text.is_ascii() {
        true => text.bytes().all(|b| plain(char::from(b))),
        false => text.chars().all(plain),
    };
    if !text.is_empty() && all_plain {
        out.push_str(text);
    } else if !text.contains(['$', '`', '\\', '"', '!']) {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push('\'');
        out.push_str(&text.replace('\'', r"'\''"));
        out.push('\'');
    }
}

/// A file's path as one shell word, written as findings show it (`content/faq/a b.md`).
pub fn shell_path(path: &Path) -> String {
    shell_word(&super::display_path(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_bare_and_others_are_quoted_to_paste() {
        let cases = [
            ("content/faq/does-it-hurt.md", "content/faq/does-it-hurt.md"),
            ("content/faq/qué-es.es.md", "content/faq/qué-es.es.md"),
            (
                "content/faq/what is microneedling.md",
                "\"content/faq/what is microneedling.md\"",
            ),
            ("content/faq/what's new.md", "\"content/faq/what's new.md\""),
            ("Medical Director", "\"Medical Director\""),
            ("Dr. O'Neil", "\"Dr. O'Neil\""),
            ("Dr. \"Kim\"", "'Dr. \"Kim\"'"),
            ("it's $5!", r"'it'\''s $5!'"),
            ("", "\"\""),
        ];
        for (text, word) in cases {
            assert_eq!(shell_word(text), word, "{text}");
        }
    }
}
