//! A minimal SVG writer: shapes and text appended to one string, every piece
//! of text escaped, numbers rounded so the output stays small.

/// Horizontal text alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Style of one piece of text.
#[derive(Clone, Copy, Debug)]
pub struct Font {
    pub size: f64,
    pub anchor: Anchor,
    pub bold: bool,
    pub color: &'static str,
}

impl Font {
    pub fn new(size: f64, anchor: Anchor) -> Font {
        Font {
            size,
            anchor,
            bold: false,
            color: "#222",
        }
    }

    pub fn bold(self) -> Font {
        Font { bold: true, ..self }
    }

    pub fn color(self, color: &'static str) -> Font {
        Font { color, ..self }
    }
}

/// An SVG document under construction.
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// A white canvas of the given size in pixels.
    pub fn new(width: f64, height: f64) -> Svg {
        let mut svg = Svg {
            width,
            height,
            body: String::new(),
        };
        svg.rect(0.0, 0.0, width, height, "#fff");
        svg
    }

    pub fn rect(&mut self, x: f64, y: f64, width: f64, height: f64, fill: &str) {
        self.rect_with(x, y, width, height, fill, "");
    }

    /// A rectangle with extra attributes (e.g. `fill-opacity="0.2"`).
    pub fn rect_with(&mut self, x: f64, y: f64, width: f64, height: f64, fill: &str, extra: &str) {
        let area = [
            ("x", x),
            ("y", y),
            ("width", width.max(0.0)),
            ("height", height.max(0.0)),
        ];
        self.shape("rect", &area, &[&format!("fill=\"{fill}\""), extra]);
    }

    /// A straight line; `dash` is an SVG dash pattern such as `"6 4"`.
    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: &str, width: f64, dash: &str) {
        let ends = [("x1", from.0), ("y1", from.1), ("x2", to.0), ("y2", to.1)];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!("stroke-dasharray=\"{dash}\"")
        };
        let stroke = format!("stroke=\"{stroke}\" stroke-width=\"{}\"", num(width));
        self.shape("line", &ends, &[&stroke, &dash]);
    }

    /// An empty element: its numeric attributes, shortened, then the other
    /// (already written) attributes that are not empty.
    fn shape(&mut self, tag: &str, numbers: &[(&str, f64)], attributes: &[&str]) {
        self.body.push_str(&format!("<{tag}"));
        for (name, value) in numbers {
            self.body.push_str(&format!(" {name}=\"{}\"", num(*value)));
        }
        for attribute in attributes.iter().filter(|a| !a.is_empty()) {
            self.body.push(' ');
            self.body.push_str(attribute);
        }
        self.body.push_str("/>\n");
    }

    /// A chart's bold title and grey subtitle, centred at the top.
    pub fn headings(&mut self, title: &str, subtitle: &str) {
        let middle = self.width / 2.0;
        self.text(middle, 28.0, Font::new(18.0, Anchor::Middle).bold(), title);
        let grey = Font::new(12.0, Anchor::Middle).color("#555");
        self.text(middle, 48.0, grey, subtitle);
    }

    pub fn text(&mut self, x: f64, y: f64, font: Font, content: &str) {
        self.text_rotated(x, y, font, 0.0, content);
    }

    /// Text turned by `degrees` around its anchor point (−90 for a y-axis label).
    pub fn text_rotated(&mut self, x: f64, y: f64, font: Font, degrees: f64, content: &str) {
        let weight = if font.bold {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let rotate = if degrees == 0.0 {
            String::new()
        } else {
            format!(
                " transform=\"rotate({} {} {})\"",
                num(degrees),
                num(x),
                num(y)
            )
        };
        self.body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{}\"{weight}{rotate}>{}</text>\n",
            num(x),
            num(y),
            num(font.size),
            font.anchor.as_str(),
            font.color,
            escape(content),
        ));
    }

    /// The finished document.
    pub fn finish(self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n{}</svg>\n",
            self.body,
            w = num(self.width),
            h = num(self.height),
        )
    }
}

/// A coordinate with at most two decimals and no trailing zeros.
fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Text content made safe for XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(12.3456), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn text_is_escaped() {
        let mut svg = Svg::new(10.0, 10.0);
        svg.text(1.0, 1.0, Font::new(10.0, Anchor::Start), "a<b & \"c\"\u{1}");
        let out = svg.finish();
        assert!(out.contains(">a&lt;b &amp; &quot;c&quot; </text>"), "{out}");
    }
}
