//! Tables of ready-made text cells, for listings of thousands of rows (overdue,
//! the owner report) where building JSON values first would cost more than the
//! table itself. Long free-text columns are shortened to fit the width; times,
//! statuses and the overdue mark stay whole.

use chrono::{DateTime, Datelike, Timelike, Utc};
use tabled::builder::Builder;
use tabled::settings::Style;

/// `2026-11-23 09:00` in `tz`, like [`super::short_time`] but without a format parser.
pub fn local_minute(t: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    let l = t.with_timezone(&tz);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        l.year(),
        l.month(),
        l.day(),
        l.hour(),
        l.minute()
    )
}

/// `2026-11-23` in `tz`.
pub fn local_date(t: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    let l = t.with_timezone(&tz);
    format!("{:04}-{:02}-{:02}", l.year(), l.month(), l.day())
}

/// Free text as one table line.
pub fn one_line(s: &str) -> String {
    if s.contains(['\r', '\n', '\t']) {
        s.replace(['\r', '\n', '\t'], " ")
    } else {
        s.to_string()
    }
}

/// Renders `rows` under `headers`; the columns whose indexes are in `flexible` are
/// shortened (with `…`) so the table fits `width`.
pub fn render(
    headers: &[&str],
    mut rows: Vec<Vec<String>>,
    flexible: &[usize],
    width: Option<usize>,
) -> String {
    if let Some(w) = width {
        fit(headers, &mut rows, flexible, w);
    }
    let mut builder = Builder::with_capacity(rows.len() + 1, headers.len());
    builder.push_record(headers.iter().copied());
    for r in rows {
        builder.push_record(r.iter().map(|c| super::terminal_text(c).into_owned()));
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    format!("{table}\n")
}

fn fit(headers: &[&str], rows: &mut [Vec<String>], flexible: &[usize], width: usize) {
    let mut natural: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows.iter() {
        for (n, cell) in natural.iter_mut().zip(r) {
            *n = (*n).max(cell.chars().count());
        }
    }
    // Each column has a space either side and a border.
    let total: usize = natural.iter().map(|w| w + 3).sum::<usize>() + 1;
    if total <= width {
        return;
    }
    let is_flex = |i: usize| flexible.contains(&i);
    let fixed: usize = natural
        .iter()
        .enumerate()
        .filter(|(i, _)| !is_flex(*i))
        .map(|(_, w)| w + 3)
        .sum::<usize>()
        + 1
        + 3 * flexible.len();
    let flex_natural: usize = flexible.iter().filter_map(|i| natural.get(*i)).sum();
    if flex_natural == 0 {
        return;
    }
    let budget = width.saturating_sub(fixed).max(8 * flexible.len());
    for &i in flexible {
        let Some(&w) = natural.get(i) else { continue };
        let max = (budget * w / flex_natural).max(8);
        for r in rows.iter_mut() {
            if let Some(cell) = r.get_mut(i) {
                if cell.chars().count() > max {
                    *cell = cell.chars().take(max - 1).collect::<String>() + "…";
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flexible_columns_shrink_to_fit_and_others_stay_whole() {
        let rows = vec![vec![
            "#1".to_string(),
            "A very long subject that will not fit in a narrow terminal".to_string(),
            "2026-11-23 09:00 (7h late)".to_string(),
        ]];
        let out = render(&["case", "subject", "next due"], rows, &[1], Some(60));
        assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
        assert!(out.contains("2026-11-23 09:00 (7h late)"), "{out}");
        assert!(out.contains("A very long"), "{out}");
        assert!(out.contains('…'), "{out}");
    }

    #[test]
    fn local_times_match_short_time() {
        let t: DateTime<Utc> = "2026-03-08T07:30:00Z".parse().unwrap();
        let tz = chrono_tz::America::New_York;
        assert_eq!(local_minute(t, tz), super::super::short_time(t, tz));
        assert_eq!(local_date(t, tz), "2026-03-08");
    }
}
