//! Fitting a title into the card: the words and a box in, the font size and the lines out.
//!
//! The largest size at which every word fits on a line and every line fits in the box wins;
//! its lines are then balanced (the narrowest width that still needs no more lines), so a
//! two-line title does not end on a lone word. A word is never broken, except after a hyphen
//! of its own (`platelet-` / `rich`), as browsers do. Only when the title does not fit even at
//! the smallest size is it shortened, after the last whole word that fits, with an ellipsis.

/// How wide a text is, in pixels, at a font size (pixels per em).
pub trait Measure {
    fn width(&self, text: &str, size: f32) -> f32;
}

/// The box a title is fitted into.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub width: f32,
    pub height: f32,
    /// Font sizes to try, largest first.
    pub sizes: &'a [f32],
    /// Distance between baselines, in ems.
    pub line_height: f32,
}

/// A title laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub size: f32,
    pub lines: Vec<String>,
    /// Words were left out (the last line ends with `…`).
    pub shortened: bool,
}

pub const ELLIPSIS: &str = "…";

/// Lays out `title` in `frame`.
pub fn fit(title: &str, frame: &Frame, measure: &dyn Measure) -> Fitted {
    let words: Vec<&str> = title.split_whitespace().collect();
    let pieces = Pieces::of(&words);
    for &size in frame.sizes {
        let sized = Sized::new(&pieces, size, measure);
        if let Some(lines) = sized.wrap(frame.width)
            && lines.len() <= max_lines(frame, size)
        {
            return Fitted {
                size,
                lines: sized.balance(lines),
                shortened: false,
            };
        }
    }
    let size = *frame.sizes.last().expect("a frame has sizes");
    shorten(&words, frame, size, measure)
}

/// The width of a line of words as `draw` sets it: each word's own width, and one space
/// between words.
pub fn line_width(words: &[&str], size: f32, measure: &dyn Measure) -> f32 {
    let gaps = words.len().saturating_sub(1) as f32;
    words.iter().map(|w| measure.width(w, size)).sum::<f32>() + gaps * measure.width(" ", size)
}

/// How many lines of `size` the frame holds (at least one).
fn max_lines(frame: &Frame, size: f32) -> usize {
    ((frame.height / (size * frame.line_height)).floor() as usize).max(1)
}

/// The pieces a title may break between: its words, and the parts of a hyphenated word
/// after each of its hyphens (`platelet-`, `rich`).
struct Pieces<'w> {
    text: Vec<&'w str>,
    /// Whether each piece follows the one before without a space (the rest of its word).
    glued: Vec<bool>,
}

impl<'w> Pieces<'w> {
    fn of(words: &[&'w str]) -> Pieces<'w> {
        let mut pieces = Pieces {
            text: Vec::new(),
            glued: Vec::new(),
        };
        for word in words {
            let mut start = 0;
            for (at, _) in word.match_indices('-') {
                // A break after an inner hyphen only: never a lone `-` on a line.
                let end = at + 1;
                if at > start && end < word.len() {
                    pieces.text.push(&word[start..end]);
                    pieces.glued.push(start > 0);
                    start = end;
                }
            }
            pieces.text.push(&word[start..]);
            pieces.glued.push(start > 0);
        }
        pieces
    }
}

/// The pieces of a title with their widths at one size.
struct Sized<'w> {
    words: &'w [&'w str],
    glued: &'w [bool],
    widths: Vec<f32>,
    space: f32,
}

impl<'w> Sized<'w> {
    fn new(pieces: &'w Pieces<'w>, size: f32, measure: &dyn Measure) -> Sized<'w> {
        Sized {
            words: &pieces.text,
            glued: &pieces.glued,
            widths: pieces.text.iter().map(|w| measure.width(w, size)).collect(),
            space: measure.width(" ", size),
        }
    }

    /// The room before piece `i` on the line it shares with the piece before.
    fn gap(&self, i: usize) -> f32 {
        if self.glued[i] { 0.0 } else { self.space }
    }

    fn join(&self, line: std::ops::Range<usize>) -> String {
        let mut text = String::new();
        for i in line.clone() {
            if i > line.start && !self.glued[i] {
                text.push(' ');
            }
            text.push_str(self.words[i]);
        }
        text
    }

    /// Greedy wrapping: as many words on each line as fit in `width`, as ranges of words;
    /// `None` when one word alone is wider.
    fn wrap(&self, width: f32) -> Option<Vec<std::ops::Range<usize>>> {
        let mut lines = Vec::new();
        let mut start = 0;
        let mut line = 0.0;
        for (i, &word) in self.widths.iter().enumerate() {
            if word > width {
                return None;
            }
            if i == start {
                line = word;
            } else if line + self.gap(i) + word <= width {
                line += self.gap(i) + word;
            } else {
                lines.push(start..i);
                start = i;
                line = word;
            }
        }
        if start < self.words.len() {
            lines.push(start..self.words.len());
        }
        Some(lines)
    }

    fn width(&self, line: &std::ops::Range<usize>) -> f32 {
        let gaps: f32 = (line.start + 1..line.end).map(|i| self.gap(i)).sum();
        self.widths[line.clone()].iter().sum::<f32>() + gaps
    }

    /// The same number of lines as `lines`, at the narrowest width that still needs no more:
    /// lines of similar length.
    fn balance(&self, lines: Vec<std::ops::Range<usize>>) -> Vec<String> {
        let count = lines.len();
        let mut low = self.widths.iter().copied().fold(0.0, f32::max);
        let mut high = lines.iter().map(|l| self.width(l)).fold(0.0, f32::max);
        let mut best = lines;
        // Wrapping needs no more lines as the width grows: a binary search finds the narrowest.
        while count > 1 && high - low > 0.5 {
            let mid = (low + high) / 2.0;
            match self.wrap(mid) {
                Some(candidate) if candidate.len() <= count => {
                    best = candidate;
                    high = mid;
                }
                _ => low = mid,
            }
        }
        best.into_iter().map(|line| self.join(line)).collect()
    }
}

/// The last resort: the whole words that fit in the frame's lines at `size`, then `…`. A
/// single word wider than the frame (no space to break at) is the one thing cut inside.
fn shorten(words: &[&str], frame: &Frame, size: f32, measure: &dyn Measure) -> Fitted {
    let room = max_lines(frame, size);
    let fits = |line: &[&str]| line_width(line, size, measure) <= frame.width;
    let mut lines: Vec<Vec<&str>> = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    let mut used = 0;
    for &word in words {
        line.push(word);
        if fits(&line) {
            used += 1;
            continue;
        }
        line.pop();
        if lines.len() + 1 < room && !line.is_empty() && fits(&[word]) {
            lines.push(std::mem::replace(&mut line, vec![word]));
            used += 1;
        } else {
            break;
        }
    }
    let shortened = used < words.len();
    let mut last = line.join(" ");
    if shortened {
        let with_ellipsis = |line: &[&str]| {
            let mut words: Vec<String> = line.iter().map(|w| w.to_string()).collect();
            if let Some(end) = words.last_mut() {
                end.push_str(ELLIPSIS);
            }
            words
        };
        let fits_owned = |line: &[String]| {
            let refs: Vec<&str> = line.iter().map(String::as_str).collect();
            fits(&refs)
        };
        while line.len() > 1 && !fits_owned(&with_ellipsis(&line)) {
            line.pop();
        }
        last = if !line.is_empty() && fits_owned(&with_ellipsis(&line)) {
            with_ellipsis(&line).join(" ")
        } else {
            // Not even the first word fits on a line: cut inside it.
            let word = line.first().copied().unwrap_or(words[used]);
            cut_to_fit(word, &|text| fits(&[text]))
        };
    }
    let mut lines: Vec<String> = lines.into_iter().map(|l| l.join(" ")).collect();
    if !last.is_empty() {
        lines.push(last);
    }
    Fitted {
        size,
        lines,
        shortened,
    }
}

/// The longest start of `word` that fits with `…` after it.
fn cut_to_fit(word: &str, fits: &dyn Fn(&str) -> bool) -> String {
    let mut cut: String = word.to_string();
    while !cut.is_empty() && !fits(&format!("{cut}{ELLIPSIS}")) {
        cut.pop();
    }
    cut.push_str(ELLIPSIS);
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character is half an em wide.
    struct Mono;
    impl Measure for Mono {
        fn width(&self, text: &str, size: f32) -> f32 {
            text.chars().count() as f32 * size * 0.5
        }
    }

    const SIZES: &[f32] = &[20.0, 10.0];

    /// 10 characters a line at size 20, 20 at size 10; 2 lines at 20, 5 at 10.
    fn frame() -> Frame<'static> {
        Frame {
            width: 100.0,
            height: 50.0,
            sizes: SIZES,
            line_height: 1.0,
        }
    }

    fn words_of(lines: &[String]) -> Vec<String> {
        lines
            .iter()
            .flat_map(|l| l.split(' ').map(str::to_string))
            .collect()
    }

    #[test]
    fn a_short_title_takes_the_largest_size_on_one_line() {
        let fitted = fit("Is it OK?", &frame(), &Mono);
        assert_eq!(fitted.size, 20.0);
        assert_eq!(fitted.lines, ["Is it OK?"]);
        assert!(!fitted.shortened);
    }

    #[test]
    fn a_long_title_wraps_between_words_and_steps_down_in_size() {
        let title = "How many sessions will my skin need before results show?";
        let fitted = fit(title, &frame(), &Mono);
        assert_eq!(fitted.size, 10.0);
        assert!(!fitted.shortened);
        assert!(fitted.lines.len() > 1 && fitted.lines.len() <= 5);
        // Every word whole, in order, nothing lost.
        let expected: Vec<&str> = title.split(' ').collect();
        assert_eq!(words_of(&fitted.lines), expected);
        for line in &fitted.lines {
            let words: Vec<&str> = line.split(' ').collect();
            assert!(
                line_width(&words, 10.0, &Mono) <= 100.0,
                "{line:?} is too wide"
            );
        }
    }

    #[test]
    fn lines_are_balanced_instead_of_leaving_a_lone_word() {
        // Greedy wrapping at size 20 would give "Can I go" / "out".
        let fitted = fit("Can I go out", &frame(), &Mono);
        assert_eq!(fitted.size, 20.0);
        assert_eq!(fitted.lines, ["Can I", "go out"]);
    }

    #[test]
    fn a_word_too_wide_for_the_large_size_moves_the_title_down_a_size() {
        // "Microneedling" is 13 characters: wider than a line at 20, so the title steps down
        // rather than break the word.
        let fitted = fit("Microneedling aftercare", &frame(), &Mono);
        assert_eq!(fitted.size, 10.0);
        assert_eq!(fitted.lines, ["Microneedling", "aftercare"]);
    }

    #[test]
    fn an_overlong_title_is_shortened_after_a_whole_word() {
        let title = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty";
        let fitted = fit(title, &frame(), &Mono);
        assert!(fitted.shortened);
        assert_eq!(fitted.size, 10.0);
        assert_eq!(fitted.lines.len(), 5);
        let last = fitted.lines.last().unwrap();
        assert!(last.ends_with(ELLIPSIS), "{last:?}");
        let mut shown = words_of(&fitted.lines);
        let end = shown.pop().unwrap();
        shown.push(end.trim_end_matches(ELLIPSIS).to_string());
        let original: Vec<&str> = title.split(' ').collect();
        assert_eq!(shown, original[..shown.len()], "only whole words, in order");
        for line in &fitted.lines {
            let words: Vec<&str> = line.split(' ').collect();
            assert!(
                line_width(&words, 10.0, &Mono) <= 100.0,
                "{line:?} is too wide"
            );
        }
    }

    #[test]
    fn a_hyphenated_word_wider_than_a_line_breaks_after_its_hyphens() {
        let fitted = fit("Radiofrequency-micro-needling-with-PRP", &frame(), &Mono);
        assert!(!fitted.shortened);
        assert_eq!(fitted.size, 10.0);
        assert_eq!(
            fitted.lines,
            ["Radiofrequency-", "micro-needling-", "with-PRP"]
        );
        // A hyphen alone, or at a word's end, is no place to break.
        let pieces = Pieces::of(&["-5", "pre-", "a-b"]);
        assert_eq!(pieces.text, ["-5", "pre-", "a-", "b"]);
        assert_eq!(pieces.glued, [false, false, false, true]);
    }

    #[test]
    fn a_single_word_wider_than_the_card_is_cut_as_the_last_resort() {
        let fitted = fit(
            "Pneumonoultramicroscopicsilicovolcanoconiosis",
            &frame(),
            &Mono,
        );
        assert!(fitted.shortened);
        assert_eq!(fitted.lines, ["Pneumonoultramicros…"]);
    }

    #[test]
    fn an_empty_title_has_no_lines() {
        let fitted = fit("  ", &frame(), &Mono);
        assert!(fitted.lines.is_empty());
        assert!(!fitted.shortened);
    }
}
