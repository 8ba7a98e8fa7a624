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
    if scores.len() < 8 {
        // Below eight terms numpy's pairwise sum is a plain loop from -0.0;
        // the same loop here, without the scratch vectors.
        let (mut num, mut den) = (-0.0, -0.0);
        for (s, w) in scores.iter().zip(weights) {
            match s {
                Some(s) => {
                    num += s * w;
                    den += w;
                }
                None => {
                    num += 0.0;
                    den += 0.0;
                }
            }
        }
        let wsum = 0.0 + den;
        return (wsum > 0.0).then(|| (0.0 + num) / wsum);
    }
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
    round_half_even(x * f) / f
}

/// Rounds to the nearest integer, ties to even — what `f64::round_ties_even`
/// does, without the libm call: adding and subtracting 2⁵² makes the FPU's
/// own round-to-nearest-even do it (exact for |x| < 2⁵²; larger values are
/// integers already). ±0 may lose its sign, which no comparison sees.
#[inline]
pub fn round_half_even(x: f64) -> f64 {
    const TWO52: f64 = 4_503_599_627_370_496.0;
    if x.abs() < TWO52 {
        let c = TWO52.copysign(x);
        (x + c) - c
    } else {
        x
    }
}

/// The key every ranking and banding compares: the index rounded to six
/// decimals, so that two indices equal to the published precision tie.
pub fn rank_key(x: f64) -> f64 {
    round_to(x, 6)
}

/// An integer whose order is the order of [`rank_key`] (and ±0 equal), so
/// ranking sorts plain integers.
pub fn order_key(x: f64) -> u64 {
    let k = rank_key(x);
    let bits = if k == 0.0 {
        0.0f64.to_bits()
    } else {
        k.to_bits()
    };
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Sorts `(key, payload)` pairs by key, ascending, with a least-significant
/// digit radix sort (a digit all keys share is skipped).
/// Ranking thousands of entities a thousand times is the hot loop of the
/// Monte Carlo, and this is several times faster than a comparison sort.
pub fn radix_sort(items: &mut Vec<(u64, u32)>, buf: &mut Vec<(u64, u32)>) {
    buf.clear();
    buf.resize(items.len(), (0, 0));
    let top = items.iter().map(|i| i.0).max().unwrap_or(0);
    let bits = 64 - top.leading_zeros();
    // As few passes as the largest key needs, with digits of at most 14
    // bits (a 64 KiB count table stays in cache).
    let passes = bits.div_ceil(14).max(1);
    let digit = bits.div_ceil(passes).max(1);
    let mask = (1u64 << digit) - 1;
    let mut counts = vec![0u32; 1 << digit];
    let mut shift = 0;
    while shift < bits {
        counts.iter_mut().for_each(|c| *c = 0);
        for (k, _) in items.iter() {
            counts[((k >> shift) & mask) as usize] += 1;
        }
        if counts.contains(&(items.len() as u32)) {
            shift += digit;
            continue;
        }
        let mut start = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = start;
            start += n;
        }
        for item in items.iter() {
            let d = ((item.0 >> shift) & mask) as usize;
            buf[counts[d] as usize] = *item;
            counts[d] += 1;
        }
        std::mem::swap(items, buf);
        shift += digit;
    }
}

/// Standard competition ranks ("1224"), highest first, on [`rank_key`];
/// entities without an index get rank 0. Rank = 1 + how many are strictly
/// higher.
pub fn competition_ranks(index: &[Option<f64>]) -> Vec<u32> {
    let keys: Vec<Option<u64>> = index.iter().map(|x| x.map(order_key)).collect();
    let mut sorted: Vec<u64> = keys.iter().flatten().copied().collect();
    sorted.sort_unstable();
    let n = sorted.len();
    keys.iter()
        .map(|k| match k {
            None => 0,
            Some(k) => (n - sorted.partition_point(|y| y <= k)) as u32 + 1,
        })
        .collect()
}

/// The nearest-rank percentile `p` (0 < p ≤ 1) of ascending `sorted`:
/// element ⌈p·K⌉, counting from one.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> T {
    sorted[nearest_rank_position(sorted.len(), p)]
}

/// The zero-based position of the nearest-rank percentile `p` among `k`
/// sorted values.
pub fn nearest_rank_position(k: usize, p: f64) -> usize {
    let pos = (p * k as f64).ceil() as usize;
    pos.clamp(1, k) - 1
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
    fn fast_rounding_matches_the_standard_library() {
        let mut rng = crate::uncertainty::Rng::new(1);
        for _ in 0..100_000 {
            let x = (rng.next_f64() - 0.5) * 2e9;
            assert_eq!(round_half_even(x), x.round_ties_even(), "{x}");
            let h = (rng.next_u64() % 1000) as f64 + 0.5;
            assert_eq!(round_half_even(h), h.round_ties_even(), "{h}");
        }
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
