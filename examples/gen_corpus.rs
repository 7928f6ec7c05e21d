//! Writes a deterministic FAQ site of N pages for benchmarks and scale tests:
//! `cargo run --release --example gen_corpus -- --pages 1000 --out /tmp/site`.
//!
//! Four FAQ sections of equal size plus location pages (three by default). Each FAQ page has
//! full front matter and about 600 words: `##` headings, paragraphs, a bullet list, a table,
//! bold and italic text, and three links to other pages of its section (one with an anchor).
//! The site uses the built-in `clinic` theme and passes `clinicsite build`.
//!
//! `--offices 300 --spanish` makes a clinic group's bilingual site: 300 office pages, and every
//! page and section also in Spanish (`PAGE.es.md`, with generated Spanish words and the
//! `translated_from:` fingerprint of its English page, so no translation is out of date). The
//! English files are the same bytes with or without `--spanish`.

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
    /// How many location pages (offices) to write.
    #[arg(long, default_value_t = 3)]
    offices: usize,
    /// Also write every page and section in Spanish.
    #[arg(long)]
    spanish: bool,
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
const PALABRAS: &[&str] = &[
    "piel",
    "colágeno",
    "sesión",
    "agujas",
    "finas",
    "sana",
    "visita",
    "crema",
    "suave",
    "resultados",
    "semanas",
    "meses",
    "pacientes",
    "médico",
    "cara",
    "cuello",
    "cicatrices",
    "poros",
    "líneas",
    "brillo",
    "calma",
    "roja",
    "leve",
    "tiempo",
    "cuidado",
    "sol",
    "agua",
    "limpia",
    "firme",
    "nueva",
    "cuerpo",
    "ayuda",
    "hace",
    "siente",
    "luce",
    "toma",
    "da",
    "muestra",
    "después",
    "luego",
    "durante",
    "a menudo",
    "la",
    "el",
    "su",
    "con",
    "para",
    "y",
];
/// The Spanish names of the FAQ categories, in the order of `CATEGORIES`.
const CATEGORIAS: [&str; 3] = ["Lo básico", "Detalles", "Planificación"];
/// The first three offices keep the names the corpus always had.
const OFFICES: [&str; 3] = ["Kendall", "South Miami", "Coral Gables"];

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
        self.sentence_of(WORDS)
    }

    fn sentence_of(&mut self, list: &[&'static str]) -> String {
        let len = 6 + self.below(8);
        let mut words: Vec<&str> = (0..len).map(|_| list[self.below(list.len())]).collect();
        let first = words[0];
        let split = first.chars().next().map_or(0, char::len_utf8);
        let capital = first[..split].to_uppercase() + &first[split..];
        words[0] = &capital;
        format!("{}.", words.join(" "))
    }

    fn paragraph_of(&mut self, list: &[&'static str], sentences: usize) -> String {
        (0..sentences)
            .map(|_| self.sentence_of(list))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One generated markdown file: the front matter lines a translation repeats, and the words a
/// translation fingerprint covers (see `translation::fingerprint`).
struct Page {
    title: String,
    description: String,
    summary: String,
    body: String,
}

impl Page {
    /// `translated_from:`: 12 hex digits of the hash of the words, each part ended by a 0 byte.
    fn fingerprint(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        for part in [
            &self.title,
            &self.description,
            &self.summary,
            self.body.trim(),
        ] {
            hasher.update(part.as_bytes());
            hasher.update(b"\0");
        }
        hasher.finalize().to_hex()[..12].to_string()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if args.out.exists() && fs::read_dir(&args.out)?.next().is_some() {
        return Err(format!("{} is not empty", args.out.display()).into());
    }
    let content = args.out.join("content");
    let mut site_yaml = String::from(
        "title: Corpus Clinic\ntagline: A generated test site\ndescription: A generated site used to measure how fast clinicsite builds large FAQ sites.\nbase_url: https://www.example.com/\nlanguage: en\ntheme: clinic\nphone: \"305-555-0100\"\n",
    );
    if args.spanish {
        site_yaml.push_str("languages: [en, es]\ntranslations:\n  es:\n    tagline: Un sitio de prueba generado\n    description: Un sitio generado para medir qué tan rápido clinicsite construye sitios grandes de preguntas.\n");
    }
    write(&args.out.join("site.yaml"), &site_yaml)?;
    write(&args.out.join("public/.gitignore"), "*\n!.gitignore\n")?;
    // Spanish words come from a generator of their own, so the English files stay the same.
    let mut spanish = args.spanish.then_some(Rng(0xD1B5_4A32_D192_ED03));
    let bilingual = args.spanish;
    let put = |rel: String, page: Page, front: &str, translation: Option<String>| {
        write(
            &content.join(&rel),
            &format!("---\n{front}---\n{}", page.body),
        )?;
        match translation {
            Some(translated) if bilingual => {
                let rel = rel.replace(".md", ".es.md");
                let front = translated.replace("{from}", &page.fingerprint());
                write(&content.join(rel), &front)
            }
            _ => Ok(()),
        }
    };
    let home = Page {
        title: "Welcome".into(),
        description: "A generated home page for measuring build speed on a large site.".into(),
        summary: String::new(),
        body: "This site was generated for benchmarks.\n".into(),
    };
    let front = format!("title: {}\ndescription: {}\n", home.title, home.description);
    let es = "---\ntitle: Bienvenida\ndescription: Una página de inicio generada para medir la velocidad de un sitio grande.\ntranslated_from: \"{from}\"\n---\nEste sitio se generó para las pruebas de velocidad.\n";
    put("_index.md".into(), home, &front, Some(es.into()))?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let per_section = args.pages.div_ceil(SECTIONS.len());
    for (s, section) in SECTIONS.iter().enumerate() {
        let count = per_section.min(args.pages.saturating_sub(s * per_section));
        let index = Page {
            title: format!("Questions about {section}"),
            description: format!(
                "Generated questions and answers about {section}, for benchmarks."
            ),
            summary: String::new(),
            body: format!("Generated questions about {section}.\n"),
        };
        let front = format!(
            "title: {}\ndescription: {}\nkind: faq\nweight: {w}\ncategories: [{cats}]\n",
            index.title,
            index.description,
            w = s + 1,
            cats = CATEGORIES.join(", ")
        );
        let es = format!(
            "---\ntitle: Preguntas sobre {section}\ndescription: Preguntas y respuestas generadas sobre {section}, para las pruebas.\nkind: faq\nweight: {w}\ncategories: [{cats}]\ntranslated_from: \"{{from}}\"\n---\nPreguntas generadas sobre {section}.\n",
            w = s + 1,
            cats = CATEGORIAS.join(", ")
        );
        put(format!("{section}/_index.md"), index, &front, Some(es))?;
        for i in 0..count {
            let (page, front) = faq_page(&mut rng, section, i, count);
            let es = spanish
                .as_mut()
                .map(|rng| faq_page_es(rng, section, i, count));
            put(format!("{section}/q-{i:06}.md"), page, &front, es)?;
        }
    }
    let index = Page {
        title: "Our locations".into(),
        description: "Where to find the generated clinic and how to call each of its offices."
            .into(),
        summary: String::new(),
        body: "Generated locations.\n".into(),
    };
    let front = format!(
        "title: {}\ndescription: {}\nkind: locations\nweight: 9\n",
        index.title, index.description
    );
    let es = "---\ntitle: Nuestros consultorios\ndescription: Dónde encontrar la clínica generada y cómo llamar a cada uno de sus consultorios.\nkind: locations\nweight: 9\ntranslated_from: \"{from}\"\n---\nConsultorios generados.\n";
    put("locations/_index.md".into(), index, &front, Some(es.into()))?;
    for i in 0..args.offices {
        let (rel, page, front) = office(i);
        let es = format!(
            "---\ntitle: {name}\ndescription: Dirección, teléfono y horario del consultorio generado de {name}.\nweight: {w}\ntranslated_from: \"{{from}}\"\n---\nLlámenos para hacer una cita.\n",
            name = page.title,
            w = i + 1
        );
        put(rel, page, &front, Some(es))?;
    }
    println!("Wrote {} FAQ pages to {}", args.pages, args.out.display());
    Ok(())
}

/// Office `i`: its file, its words and its front matter.
fn office(i: usize) -> (String, Page, String) {
    let name = match OFFICES.get(i) {
        Some(name) => name.to_string(),
        None => format!("Office {i:03}"),
    };
    let slug = name.to_lowercase().replace(' ', "-");
    let phone = match i {
        0..3 => format!("305-555-010{}", i + 1),
        _ => format!("305-555-{:04}", 1000 + i),
    };
    let page = Page {
        title: name.clone(),
        description: format!("Address, phone and opening hours of the generated {name} office."),
        summary: String::new(),
        body: "Call us to book.\n".into(),
    };
    let front = format!(
        "title: {name}\ndescription: {}\nweight: {w}\nlocation:\n  name: {name}\n  street: 0000 Placeholder Avenue\n  city: Miami\n  region: FL\n  postal_code: \"33156\"\n  phone: \"{phone}\"\n  placeholder: true\n  geo: {{ lat: 25.7, lng: -80.3 }}\n  hours:\n    - {{ days: [Mo, Tu, We, Th, Fr], opens: \"09:00\", closes: \"17:00\" }}\n",
        page.description,
        w = i + 1
    );
    (format!("locations/{slug}.md"), page, front)
}

fn faq_page(rng: &mut Rng, section: &str, i: usize, count: usize) -> (Page, String) {
    let category = CATEGORIES[i % CATEGORIES.len()];
    let page = Page {
        title: format!(
            "Question {i} about {section}: {q}?",
            q = rng.sentence().trim_end_matches('.').to_lowercase()
        ),
        description: format!(
            "A generated answer to question {i} about {section}, long enough to be a real description."
        ),
        summary: rng.sentence(),
        body: String::new(),
    };
    let front = format!(
        "title: \"{}\"\ndescription: \"{}\"\ncategory: {category}\nsummary: \"{}\"\nreviewed_by: Medical Director\nlast_reviewed: 2026-{m:02}-{d:02}\nweight: {i}\ntags: [{section}, generated]\n",
        page.title,
        page.description,
        page.summary,
        m = 1 + i % 10,
        d = 1 + i % 28,
    );
    let body = answer(rng, WORDS, &Words::ENGLISH, section, i, count);
    (Page { body, ..page }, front)
}

/// The Spanish translation of FAQ page `i`, with `{from}` where its fingerprint goes.
fn faq_page_es(rng: &mut Rng, section: &str, i: usize, count: usize) -> String {
    let category = CATEGORIAS[i % CATEGORIAS.len()];
    let question = rng
        .sentence_of(PALABRAS)
        .trim_end_matches('.')
        .to_lowercase();
    let summary = rng.sentence_of(PALABRAS);
    format!(
        "---\ntitle: \"¿Pregunta {i} sobre {section}: {question}?\"\ndescription: \"Una respuesta generada a la pregunta {i} sobre {section}, tan larga como una descripción real.\"\ncategory: {category}\nsummary: \"{summary}\"\nreviewed_by: Dirección médica\nlast_reviewed: 2026-{m:02}-{d:02}\nweight: {i}\ntags: [{section}, generada]\ntranslated_from: \"{{from}}\"\n---\n{}",
        answer(rng, PALABRAS, &Words::SPANISH, section, i, count),
        m = 1 + i % 10,
        d = 1 + i % 28,
    )
}

/// The fixed words of an answer in one language.
struct Words {
    part: &'static str,
    anchor: &'static str,
    emphasis: &'static str,
    see: &'static str,
    and: &'static str,
    related: &'static str,
    another: &'static str,
    step: &'static str,
    vary: &'static str,
    read: &'static str,
    suffix: &'static str,
}

impl Words {
    const ENGLISH: Words = Words {
        part: "Part {part} of the answer",
        anchor: "part-1-of-the-answer",
        emphasis: "This is **important** and *worth knowing*.",
        see: "See",
        and: "and",
        related: "a related question",
        another: "another one",
        step: "| Step | What happens |",
        vary: "Results vary from person to person.",
        read: "Read [question {n} about {section}]",
        suffix: ".md",
    };
    const SPANISH: Words = Words {
        part: "Parte {part} de la respuesta",
        anchor: "parte-1-de-la-respuesta",
        emphasis: "Esto es **importante** y *vale la pena saberlo*.",
        see: "Vea",
        and: "y",
        related: "una pregunta parecida",
        another: "otra más",
        step: "| Paso | Qué pasa |",
        vary: "Los resultados cambian de una persona a otra.",
        read: "Lea [la pregunta {n} sobre {section}]",
        suffix: ".es.md",
    };
}

/// About 600 words: four `##` parts with a paragraph each, links to three other pages of the
/// section (one with an anchor), a list and a table.
fn answer(
    rng: &mut Rng,
    list: &[&'static str],
    words: &Words,
    section: &str,
    i: usize,
    count: usize,
) -> String {
    let mut text = String::new();
    let link = |n: usize| format!("q-{:06}{}", n % count.max(1), words.suffix);
    for part in 0..4 {
        let heading = words.part.replace("{part}", &part.to_string());
        let _ = write!(text, "## {heading}\n\n{}\n\n", rng.paragraph_of(list, 8));
        match part {
            0 => {
                let _ = write!(
                    text,
                    "{} {} [{}]({}) {} [{}]({}#{}).\n\n",
                    words.emphasis,
                    words.see,
                    words.related,
                    link(i + 1),
                    words.and,
                    words.another,
                    link(i + 2),
                    words.anchor
                );
            }
            1 => {
                for _ in 0..4 {
                    let _ = writeln!(text, "- {}", rng.sentence_of(list));
                }
                text.push('\n');
            }
            2 => {
                let _ = writeln!(text, "{}\n| --- | --- |", words.step);
                for step in 1..=3 {
                    let _ = writeln!(text, "| {step} | {} |", rng.sentence_of(list));
                }
                text.push('\n');
            }
            _ => {
                let read = words
                    .read
                    .replace("{n}", &((i + 3) % count.max(1)).to_string())
                    .replace("{section}", section);
                let _ = write!(
                    text,
                    "{} {} {read}({}).\n\n",
                    rng.paragraph_of(list, 7),
                    words.vary,
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
