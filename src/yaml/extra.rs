//! `extra:` blocks: any YAML in, a `Value` whose names (keys), at every level, are text.
//!
//! Templates read `extra` values by name, and the template engine cannot take a number, a
//! list or nothing (`~`) as a name: such a key is refused here, where the YAML is read, with
//! its line, instead of failing later inside the engine.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{HELP, Value};

/// A free-form `extra:` block, every key text.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Extra(pub Value);

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExtraVisitor).map(Extra)
    }
}

struct ExtraVisitor;

impl<'de> Visitor<'de> for ExtraVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Extra::deserialize(deserializer).map(|e| e.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Extra(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_yaml::Mapping::new();
        while let Some(Name(key)) = map.next_key()? {
            let Extra(value) = map.next_value()?;
            out.insert(Value::String(key), value);
        }
        Ok(Value::Mapping(out))
    }
}

/// A key under `extra:`: text only.
struct Name(String);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NameVisitor).map(Name)
    }
}

struct NameVisitor;

/// The error for a key that is not text, in the `message\nhelp: help` form `yaml` explains.
fn not_a_name<E: de::Error>(what: &str, written: Option<String>) -> E {
    let help = match written {
        Some(written) => format!(
            "names under `extra:` must be words: put it in quotes, like `\"{written}\": ...`, or use a word, like `hero_image: ...`"
        ),
        None => "names under `extra:` must be words, like `hero_image: ...`".into(),
    };
    E::custom(format!("{what} cannot be a name{HELP}{help}"))
}

impl<'de> Visitor<'de> for NameVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a name made of words")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Err(not_a_name(&format!("`{v}`"), Some(v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Err(not_a_name(
            &format!("the number `{v}`"),
            Some(v.to_string()),
        ))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Err(not_a_name(
            &format!("the number `{v}`"),
            Some(v.to_string()),
        ))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Err(not_a_name(
            &format!("the number `{v}`"),
            Some(v.to_string()),
        ))
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(not_a_name("nothing (`~`, `null` or an empty key)", None))
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(NameVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(not_a_name("a list", None))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(not_a_name("a block of `key: value` lines", None))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(not_a_name("a tagged value (`!name`)", None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, String> {
        serde_yaml::from_str::<Extra>(text)
            .map(|e| e.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn text_keys_at_every_level_are_kept() {
        let value = read("a: {b: [1, {c: ~}]}\n\"1.5\": x\n").unwrap();
        assert_eq!(value["a"]["b"][1]["c"], Value::Null);
        assert_eq!(value["1.5"], Value::String("x".into()));
    }

    #[test]
    fn other_keys_are_refused_at_any_depth() {
        for (text, what) in [
            ("1.5: x\n", "the number `1.5`"),
            ("a:\n  b:\n    3: x\n", "the number `3`"),
            ("~: x\n", "nothing"),
            ("true: x\n", "`true`"),
            ("[a]: x\n", "a list"),
            ("? {a: b}\n: x\n", "a block"),
            ("l: [{7: x}]\n", "the number `7`"),
        ] {
            let error = read(text).unwrap_err();
            assert!(error.contains(what), "{text:?}: {error}");
        }
    }
}
