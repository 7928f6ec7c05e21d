//! Writes a deterministic FAQ site of N pages for benchmarks and scale tests:
//! `cargo run --release --example gen_corpus -- --pages 1000 --out /tmp/site`.
//!
//! Four FAQ sections of equal size plus three location pages. Each FAQ page has full front
//! matter and about 600 words: `##` headings, paragraphs, a bullet list, a table, bold and
//! italic text, and three links to other pages of its section (one with an anchor). The site
//! uses the built-in `clinic` theme and passes `clinicsite build`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// How many FAQ pages to write.
    #[arg(long, default_value_t = 1000)]
    pages: usize,
    /// The folder to create (it must not exist yet, or be empty).
    #[arg(long)]
    out: PathBuf,
}

const SECTIONS: [&str; 4] = ["treatment", "candidates", "recovery", "results"];
const CATEGORIES: [&str; 3] = ["Basics", "Details", "Planning"];
const WORDS: &[&str] = &[
    "skin", "collagen", "session", "needles", "tiny", "heal", "visit", "cream", "gentle",
    "results", "weeks", "months", "patients", "doctor", "face", "neck", "scars", "pores", "lines",
    "glow", "calm", "red", "mild", "time", "care", "sun", "water", "clean", "soft", "firm", "new",
    "body", "helps", "makes", "feels", "looks", "takes", "gives", "shows", "keeps", "after",
    "later", "during", "often", "most", "some", "few", "many", "your", "the", "a", "and", "with",
    "for",
];

/// A small deterministic generator (xorshift), so every run writes the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn sentence(&mut self) -> String {
        let len = 6 + self.below(8);
        let mut words: Vec<&str> = (0..len).map(|_| WORDS[self.below(WORDS.len())]).collect();
        let first = words[0];
        let capital = first[..1].to_uppercase() + &first[1..];
        words[0] = &capital;
        format!("{}.", words.join(" "))
    }

    fn paragraph(&mut self, sentences: usize) -> String {
        (0..sentences)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if args.out.exists() && fs::read_dir(&args.out)?.next().is_some() {
        return Err(format!("{} is not empty", args.out.display()).into());
    }
    let content = args.out.join("content");
    write(
        &args.out.join("site.yaml"),
        "title: Corpus Clinic\ntagline: A generated test site\ndescription: A generated site used to measure how fast clinicsite builds large FAQ sites.\nbase_url: https://www.example.com/\nlanguage: en\ntheme: clinic\nphone: \"305-555-0100\"\n",
    )?;
    write(&args.out.join("public/.gitignore"), "*\n!.gitignore\n")?;
    write(
        &content.join("_index.md"),
        "---\ntitle: Welcome\ndescription: A generated home page for measuring build speed on a large site.\n---\nThis site was generated for benchmarks.\n",
    )?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let per_section = args.pages.div_ceil(SECTIONS.len());
    for (s, section) in SECTIONS.iter().enumerate() {
        let count = per_section.min(args.pages.saturating_sub(s * per_section));
        write(
            &content.join(section).join("_index.md"),
            &format!(
                "---\ntitle: Questions about {section}\ndescription: Generated questions and answers about {section}, for benchmarks.\nkind: faq\nweight: {w}\ncategories: [{cats}]\n---\nGenerated questions about {section}.\n",
                w = s + 1,
                cats = CATEGORIES.join(", ")
            ),
        )?;
        for i in 0..count {
            let page = faq_page(&mut rng, section, i, count);
            write(&content.join(section).join(format!("q-{i:06}.md")), &page)?;
        }
    }
    write(
        &content.join("locations/_index.md"),
        "---\ntitle: Our locations\ndescription: Where to find the generated clinic and how to call each of its offices.\nkind: locations\nweight: 9\n---\nGenerated locations.\n",
    )?;
    for (i, name) in ["Kendall", "South Miami", "Coral Gables"]
        .iter()
        .enumerate()
    {
        let slug = name.to_lowercase().replace(' ', "-");
        write(
            &content.join("locations").join(format!("{slug}.md")),
            &format!(
                "---\ntitle: {name}\ndescription: Address, phone and opening hours of the generated {name} office.\nweight: {w}\nlocation:\n  name: {name}\n  street: 0000 Placeholder Avenue\n  city: Miami\n  region: FL\n  postal_code: \"33156\"\n  phone: \"305-555-010{w}\"\n  placeholder: true\n  geo: {{ lat: 25.7, lng: -80.3 }}\n  hours:\n    - {{ days: [Mo, Tu, We, Th, Fr], opens: \"09:00\", closes: \"17:00\" }}\n---\nCall us to book.\n",
                w = i + 1
            ),
        )?;
    }
    println!("Wrote {} FAQ pages to {}", args.pages, args.out.display());
    Ok(())
}

fn faq_page(rng: &mut Rng, section: &str, i: usize, count: usize) -> String {
    let mut text = String::new();
    let category = CATEGORIES[i % CATEGORIES.len()];
    let _ = write!(
        text,
        "---\ntitle: \"Question {i} about {section}: {q}?\"\ndescription: \"A generated answer to question {i} about {section}, long enough to be a real description.\"\ncategory: {category}\nsummary: \"{summary}\"\nreviewed_by: Medical Director\nlast_reviewed: 2026-{m:02}-{d:02}\nweight: {i}\ntags: [{section}, generated]\n---\n",
        q = rng.sentence().trim_end_matches('.').to_lowercase(),
        summary = rng.sentence(),
        m = 1 + i % 10,
        d = 1 + i % 28,
    );
    let link = |n: usize| format!("q-{:06}.md", n % count.max(1));
    for part in 0..4 {
        let _ = write!(
            text,
            "## Part {part} of the answer\n\n{}\n\n",
            rng.paragraph(8)
        );
        match part {
            0 => {
                let _ = write!(
                    text,
                    "This is **important** and *worth knowing*. See [a related question]({}) and [another one]({}#part-1-of-the-answer).\n\n",
                    link(i + 1),
                    link(i + 2)
                );
            }
            1 => {
                for _ in 0..4 {
                    let _ = writeln!(text, "- {}", rng.sentence());
                }
                text.push('\n');
            }
            2 => {
                text.push_str("| Step | What happens |\n| --- | --- |\n");
                for step in 1..=3 {
                    let _ = writeln!(text, "| {step} | {} |", rng.sentence());
                }
                text.push('\n');
            }
            _ => {
                let _ = write!(
                    text,
                    "{} Results vary from person to person. Read [question {} about {section}]({}).\n\n",
                    rng.paragraph(7),
                    (i + 3) % count.max(1),
                    link(i + 3)
                );
            }
        }
    }
    text
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}
