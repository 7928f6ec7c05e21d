//! Writes N photo-like JPEGs for benches/images.sh: `gen_photos DIR N WIDTH HEIGHT`.
//!
//! Each is a smooth scene (gradients, soft discs, fine texture and a little sensor noise) so
//! encoders see what a real photo gives them, not flat colour or pure noise. Deterministic:
//! the same arguments write the same bytes.

use std::path::PathBuf;

use image::{ImageEncoder, Rgb, RgbImage};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).expect("gen_photos DIR N WIDTH HEIGHT"));
    let count: u32 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(50);
    let width: u32 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(4000);
    let height: u32 = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(3000);
    std::fs::create_dir_all(&dir).expect("create the folder");
    for n in 0..count {
        let image = scene(n, width, height);
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .write_image(&image, width, height, image::ExtendedColorType::Rgb8)
            .expect("encode");
        std::fs::write(dir.join(format!("photo-{n:03}.jpg")), jpeg).expect("write");
    }
}

fn scene(seed: u32, width: u32, height: u32) -> RgbImage {
    let mut state = 0x9E37_79B9u32 ^ seed.wrapping_mul(0x85EB_CA6B);
    let mut random = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let discs: Vec<(f32, f32, f32, [f32; 3])> = (0..12)
        .map(|_| {
            let x = (random() % width) as f32;
            let y = (random() % height) as f32;
            let r = (width / 20 + random() % (width / 6)) as f32;
            let c = [
                (random() % 200) as f32,
                (random() % 200) as f32,
                (random() % 200) as f32,
            ];
            (x, y, r, c)
        })
        .collect();
    let tint = (seed % 7) as f32 * 12.0;
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let mut c = [
            60.0 + 120.0 * fy + tint,
            90.0 + 80.0 * fx,
            140.0 - 60.0 * fy + 30.0 * (fx * 9.0).sin(),
        ];
        for (dx, dy, r, colour) in &discs {
            let d = ((x as f32 - dx).powi(2) + (y as f32 - dy).powi(2)).sqrt();
            if d < *r {
                let edge = ((r - d) / 40.0).min(1.0);
                for i in 0..3 {
                    c[i] = c[i] * (1.0 - edge) + colour[i] * edge;
                }
            }
        }
        let texture = 10.0 * ((x as f32 * 0.21).sin() * (y as f32 * 0.17).cos());
        let noise = (random() % 9) as f32 - 4.0;
        Rgb(c.map(|v| (v + texture + noise).clamp(0.0, 255.0) as u8))
    })
}
