//! Floating-point building blocks whose exact operation order is part of the
//! contract: the engine must reproduce a numpy reference byte for byte, so
//! sums follow numpy's pairwise summation and rounding follows `np.round`.

/// Sums `a` in numpy's pairwise order (blocks of eight accumulators, halves
/// above 128 elements). Besides matching numpy bit for bit it is more
/// accurate than a left-to-right loop for long rows.
pub fn pairwise_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = -0.0;
        for x in a {
            res += x;
        }
        res
    } else if n <= 128 {
        let mut r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
        let mut i = 8;
        while i < n - n % 8 {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

/// The weighted mean of the present `scores`, weights renormalised over the
/// present ones; `None` when nothing is present. `scratch` avoids allocating
/// per call. Absent entries keep their place (as zeros) so that the
/// summation order does not depend on which values are missing.
pub fn weighted_mean(
    scores: &[Option<f64>],
    weights: &[f64],
    scratch: &mut (Vec<f64>, Vec<f64>),
) -> Option<f64> {
    let (num, den) = scratch;
    num.clear();
    den.clear();
    for (s, w) in scores.iter().zip(weights) {
        match s {
            Some(s) => {
                num.push(s * w);
                den.push(*w);
            }
            None => {
                num.push(0.0);
                den.push(0.0);
            }
        }
    }
    let wsum = 0.0 + pairwise_sum(den);
    (wsum > 0.0).then(|| (0.0 + pairwise_sum(num)) / wsum)
}

/// Rounds to `decimals` places the way `np.round` does: scale, round half
/// to even, unscale.
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round_ties_even() / f
}

/// The key every ranking and banding compares: the index rounded to six
/// decimals, so that two indices equal to the published precision tie.
pub fn rank_key(x: f64) -> f64 {
    round_to(x, 6)
}

/// Standard competition ranks ("1224"), highest first, on [`rank_key`];
/// entities without an index get rank 0.
pub fn competition_ranks(index: &[Option<f64>]) -> Vec<u32> {
    let mut order: Vec<(f64, usize)> = index
        .iter()
        .enumerate()
        .filter_map(|(i, x)| x.map(|x| (rank_key(x), i)))
        .collect();
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let mut ranks = vec![0u32; index.len()];
    let mut prev = f64::NAN;
    let mut current = 0u32;
    for (pos, (key, i)) in order.iter().enumerate() {
        if *key != prev {
            current = pos as u32 + 1;
            prev = *key;
        }
        ranks[*i] = current;
    }
    ranks
}

/// The nearest-rank percentile `p` (0 < p ≤ 1) of ascending `sorted`:
/// element ⌈p·K⌉, counting from one.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> T {
    let k = (p * sorted.len() as f64).ceil() as usize;
    sorted[k.clamp(1, sorted.len()) - 1]
}

/// The median of the values (mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_competition_ranks() {
        let r = competition_ranks(&[Some(50.0), Some(70.0), None, Some(50.0000001), Some(10.0)]);
        assert_eq!(r, vec![2, 1, 0, 2, 4]);
    }

    #[test]
    fn pairwise_matches_plain_sum_on_exact_values() {
        let v: Vec<f64> = (0..300).map(f64::from).collect();
        assert_eq!(pairwise_sum(&v), 44850.0);
        assert_eq!(pairwise_sum(&v[..5]), 10.0);
        assert_eq!(pairwise_sum(&v[..13]), 78.0);
    }

    #[test]
    fn rounding_is_half_even_after_scaling() {
        assert_eq!(round_to(0.5, 0), 0.0);
        assert_eq!(round_to(1.5, 0), 2.0);
        assert_eq!(
            round_to(2.675, 2),
            2.68,
            "as np.round: 2.675 × 100 is exactly 267.5"
        );
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u32> = (1..=1000).collect();
        assert_eq!(nearest_rank(&v, 0.05), 50);
        assert_eq!(nearest_rank(&v, 0.95), 950);
        assert_eq!(nearest_rank(&[7u32], 0.05), 7);
    }
}
