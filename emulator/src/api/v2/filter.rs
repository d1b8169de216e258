//! v2 search filters: a field takes a plain value (equality) or an
//! operator object (`$eq $neq $exists $in $notIn $gt $gte $lt $lte
//! $like`), operators AND-ed. Which operators a field takes depends on its
//! type (`Kind`) and, for some fields, on the version (the caller passes
//! `operators: false` where a version wants an exact value only).

use super::problem::Problem;
use crate::dates::parse_request_date;
use serde_json::Value;

/// The type of a filtered field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `StringFilterProperty`: `$eq $neq $exists $in $notIn $like`.
    String,
    /// Keys and ids with `BasicStringFilter`: no `$like`.
    BasicString,
    /// Keys as decimal strings (plain or `BasicStringFilter`).
    Key,
    /// `IntegerFilterProperty`: `$eq $neq $exists $gt $gte $lt $lte $in`.
    Integer,
    /// `DateTimeFilterProperty`: as integers, with RFC 3339 values.
    DateTime,
    /// A state enum with `$eq $neq $exists $in $like`; the values allowed.
    State(&'static [&'static str]),
}

impl Kind {
    fn operators(self) -> &'static [&'static str] {
        match self {
            Kind::String => &["$eq", "$neq", "$exists", "$in", "$notIn", "$like"],
            Kind::BasicString | Kind::Key => &["$eq", "$neq", "$exists", "$in", "$notIn"],
            Kind::Integer | Kind::DateTime => &[
                "$eq", "$neq", "$exists", "$gt", "$gte", "$lt", "$lte", "$in",
            ],
            Kind::State(_) => &["$eq", "$neq", "$exists", "$in", "$like"],
        }
    }
}

/// A value to compare with: numbers (also dates, as epoch ms, and keys)
/// or text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scalar {
    Int(i64),
    Text(String),
}

/// A field's value as a filter sees it, borrowed from the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field<'a> {
    Int(i64),
    Text(&'a str),
}

impl Field<'_> {
    fn equals(self, s: &Scalar) -> bool {
        match (self, s) {
            (Field::Int(a), Scalar::Int(b)) => a == *b,
            (Field::Text(a), Scalar::Text(b)) => a == b,
            _ => false,
        }
    }

    fn compare(self, s: &Scalar) -> Option<std::cmp::Ordering> {
        match (self, s) {
            (Field::Int(a), Scalar::Int(b)) => Some(a.cmp(b)),
            (Field::Text(a), Scalar::Text(b)) => Some(a.cmp(b.as_str())),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Eq(Scalar),
    Neq(Scalar),
    Exists(bool),
    In(Vec<Scalar>),
    NotIn(Vec<Scalar>),
    Gt(Scalar),
    Gte(Scalar),
    Lt(Scalar),
    Lte(Scalar),
    Like(String),
}

/// One field's condition: all operators hold.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Cond(pub Vec<Op>);

fn cannot_parse(path: &str) -> Problem {
    Problem::bad_request(format!("Request property [{path}] cannot be parsed"))
}

fn scalar(value: &Value, kind: Kind, path: &str) -> Result<Scalar, Problem> {
    match (kind, value) {
        (Kind::String | Kind::BasicString, Value::String(s)) => Ok(Scalar::Text(s.clone())),
        (Kind::State(allowed), Value::String(s)) if allowed.contains(&s.as_str()) => {
            Ok(Scalar::Text(s.clone()))
        }
        (Kind::Key, Value::String(s)) => super::parse_key(s, path)
            .map(Scalar::Int)
            .map_err(|_| cannot_parse(path)),
        (Kind::Key | Kind::Integer, Value::Number(n)) if n.is_i64() => {
            Ok(Scalar::Int(n.as_i64().unwrap_or_default()))
        }
        (Kind::DateTime, Value::String(s)) => parse_request_date(s)
            .map(Scalar::Int)
            .ok_or_else(|| cannot_parse(path)),
        _ => Err(cannot_parse(path)),
    }
}

fn scalars(value: &Value, kind: Kind, path: &str) -> Result<Vec<Scalar>, Problem> {
    match value {
        Value::Array(items) => items.iter().map(|v| scalar(v, kind, path)).collect(),
        _ => Err(cannot_parse(path)),
    }
}

/// Parses `filter.<path>`: a plain value, or where `operators` is true an
/// operator object of the kind's operators.
pub fn parse(value: &Value, kind: Kind, operators: bool, path: &str) -> Result<Cond, Problem> {
    let Value::Object(ops) = value else {
        return Ok(Cond(vec![Op::Eq(scalar(value, kind, path)?)]));
    };
    if !operators {
        return Err(cannot_parse(path));
    }
    let mut cond = Vec::with_capacity(ops.len());
    for (name, operand) in ops {
        if !kind.operators().contains(&name.as_str()) {
            return Err(cannot_parse(path));
        }
        let p = format!("{path}.{name}");
        cond.push(match name.as_str() {
            "$eq" => Op::Eq(scalar(operand, kind, &p)?),
            "$neq" => Op::Neq(scalar(operand, kind, &p)?),
            "$exists" => Op::Exists(operand.as_bool().ok_or_else(|| cannot_parse(&p))?),
            "$in" => Op::In(scalars(operand, kind, &p)?),
            "$notIn" => Op::NotIn(scalars(operand, kind, &p)?),
            "$gt" => Op::Gt(scalar(operand, kind, &p)?),
            "$gte" => Op::Gte(scalar(operand, kind, &p)?),
            "$lt" => Op::Lt(scalar(operand, kind, &p)?),
            "$lte" => Op::Lte(scalar(operand, kind, &p)?),
            _ => Op::Like(
                operand
                    .as_str()
                    .ok_or_else(|| cannot_parse(&p))?
                    .to_string(),
            ),
        });
    }
    Ok(Cond(cond))
}

impl Cond {
    /// Whether a single-valued field (`None` = absent) matches.
    pub fn matches(&self, field: Option<Field<'_>>) -> bool {
        self.0.iter().all(|op| match (op, field) {
            (Op::Exists(wanted), f) => f.is_some() == *wanted,
            (Op::Neq(s), Some(f)) => !f.equals(s),
            (Op::NotIn(list), Some(f)) => !list.iter().any(|s| f.equals(s)),
            // Negations hold for an absent value, the rest do not.
            (Op::Neq(_) | Op::NotIn(_), None) => true,
            (_, None) => false,
            (Op::Eq(s), Some(f)) => f.equals(s),
            (Op::In(list), Some(f)) => list.iter().any(|s| f.equals(s)),
            (Op::Gt(s), Some(f)) => f.compare(s).is_some_and(|o| o.is_gt()),
            (Op::Gte(s), Some(f)) => f.compare(s).is_some_and(|o| o.is_ge()),
            (Op::Lt(s), Some(f)) => f.compare(s).is_some_and(|o| o.is_lt()),
            (Op::Lte(s), Some(f)) => f.compare(s).is_some_and(|o| o.is_le()),
            (Op::Like(pattern), Some(Field::Text(text))) => like(pattern, text),
            (Op::Like(_), Some(Field::Int(_))) => false,
        })
    }

    /// A multi-valued field (candidate groups): positive operators hold
    /// for some element, negations for every element.
    pub fn matches_any(&self, values: &[String]) -> bool {
        self.0.iter().all(|op| match op {
            Op::Exists(wanted) => values.is_empty() != *wanted,
            Op::Neq(_) | Op::NotIn(_) => values
                .iter()
                .all(|v| Cond(vec![op.clone()]).matches(Some(Field::Text(v)))),
            _ => values
                .iter()
                .any(|v| Cond(vec![op.clone()]).matches(Some(Field::Text(v)))),
        })
    }
}

/// `$like`: `*` any run of characters, `?` exactly one, `\` escapes.
pub fn like(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum P {
        Any,
        One,
        Char(char),
    }
    let mut parts = Vec::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        parts.push(match c {
            '*' => P::Any,
            '?' => P::One,
            '\\' => P::Char(chars.next().unwrap_or('\\')),
            c => P::Char(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // Classic wildcard matching with one backtrack point.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match parts.get(p) {
            Some(P::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(P::One) => {
                p += 1;
                t += 1;
            }
            Some(P::Any) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    parts[p..].iter().all(|part| *part == P::Any)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn like_has_wildcards_and_escapes() {
        assert!(like("Appr*", "Approve Invoice"));
        assert!(like("*Invoice", "Approve Invoice"));
        assert!(like("A?prove*", "Approve Invoice"));
        assert!(!like("A?prove", "Approve Invoice"));
        assert!(like("a\\*b", "a*b"));
        assert!(!like("a\\*b", "axb"));
        assert!(like("*", ""));
        assert!(like("*a*a*", "banana"));
    }

    #[test]
    fn operators_combine_and_kinds_refuse_others() {
        let c = parse(
            &json!({"$gte": 25, "$lt": 75}),
            Kind::Integer,
            true,
            "priority",
        )
        .unwrap();
        assert!(c.matches(Some(Field::Int(25))));
        assert!(!c.matches(Some(Field::Int(75))));
        assert!(!c.matches(None));
        assert!(parse(&json!({"$like": "x"}), Kind::Integer, true, "priority").is_err());
        let exact = parse(
            &json!({"$eq": "1"}),
            Kind::Key,
            false,
            "filter.processDefinitionKey",
        );
        assert_eq!(
            exact.unwrap_err().detail,
            "Request property [filter.processDefinitionKey] cannot be parsed"
        );
        let exists = parse(&json!({"$exists": false}), Kind::String, true, "assignee").unwrap();
        assert!(exists.matches(None) && !exists.matches(Some(Field::Text("demo"))));
        let groups = parse(
            &json!({"$in": ["a", "b"]}),
            Kind::String,
            true,
            "candidateGroup",
        )
        .unwrap();
        assert!(groups.matches_any(&["c".into(), "b".into()]));
        assert!(!groups.matches_any(&[]));
        let date = parse(
            &json!({"$gte": "2024-01-01T00:00:00Z"}),
            Kind::DateTime,
            true,
            "d",
        )
        .unwrap();
        assert!(date.matches(Some(Field::Int(1_704_067_200_000))));
        assert!(!date.matches(Some(Field::Int(1_704_067_199_999))));
    }
}
