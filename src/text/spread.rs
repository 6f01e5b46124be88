//! 均等割り: spreading a label evenly across a width (JLReq's even
//! inter-character spacing; 字取り, JLReq §3.7.3, when the gaps would be
//! too wide).

/// Where each item of a spread line starts, measured from the left edge of
/// the available width `width`.
///
/// `items` are the widths of the units to spread — single characters, or an
/// ASCII word or digit run kept solid (JLReq §3.7.3). The first item sits at
/// the left edge, the last at the right edge, the gaps between them equal.
/// A lone item is centred (project rule). If a gap would exceed `max_gap`,
/// the run is instead spread over `n + ⌈n/2⌉` items' width (字取り) and
/// centred, as JLReq does to avoid huge gaps; if even that is wider than the
/// gap cap allows, the gap is capped and the run centred. When the items do
/// not fit, they are set solid from the left (the caller shrinks or wraps
/// the label first, so this is a last resort that still loses nothing).
pub fn distribute(items: &[f32], width: f32, max_gap: f32) -> Vec<f32> {
    let total: f32 = items.iter().sum();
    let n = items.len();
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![((width - total) / 2.0).max(0.0)];
    }
    if total >= width {
        return solid(items, 0.0, 0.0);
    }
    let gap = (width - total) / (n - 1) as f32;
    if gap <= max_gap {
        return solid(items, 0.0, gap);
    }
    // 字取り: spread over n + ⌈n/2⌉ average item widths, gaps capped.
    let average = total / n as f32;
    let jidori = (n + n.div_ceil(2)) as f32 * average;
    let gap = ((jidori.min(width) - total) / (n - 1) as f32).min(max_gap);
    let used = total + gap * (n - 1) as f32;
    solid(items, (width - used) / 2.0, gap)
}

/// Items set from `start` with a fixed `gap` between them.
fn solid(items: &[f32], start: f32, gap: f32) -> Vec<f32> {
    let mut x = start;
    items
        .iter()
        .map(|w| {
            let at = x;
            x += w + gap;
            at
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_first_to_left_edge_last_to_right_edge() {
        let xs = distribute(&[1.0; 4], 7.0, 2.0);
        assert_eq!(xs, vec![0.0, 2.0, 4.0, 6.0]);
    }

    #[test]
    fn centres_a_lone_character() {
        assert_eq!(distribute(&[1.0], 5.0, 2.0), vec![2.0]);
    }

    #[test]
    fn caps_huge_gaps_with_jidori() {
        // 2 characters in 10 em: gap 8 em > 2 em → 字取り over 3 em, centred.
        let xs = distribute(&[1.0, 1.0], 10.0, 2.0);
        assert_eq!(xs, vec![3.5, 5.5]);
    }

    #[test]
    fn a_large_cap_spreads_across_the_cell() {
        let xs = distribute(&[1.0, 1.0], 6.0, 5.0);
        assert_eq!(xs, vec![0.0, 5.0]);
    }

    #[test]
    fn too_wide_sets_solid() {
        assert_eq!(distribute(&[2.0, 2.0], 3.0, 2.0), vec![0.0, 2.0]);
    }
}
