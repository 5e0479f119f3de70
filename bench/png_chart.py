"""A bar chart written straight to PNG with zlib: no plotting library needed.

Text uses a 5x7 bitmap font (upper case, digits, a little punctuation)
defined below; lower-case text is drawn in upper case.
"""
import struct
import zlib

# Each glyph: 7 rows of 5 bits, most significant bit leftmost.
_FONT_ROWS = {
    'A': (0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    'B': (0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E),
    'C': (0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E),
    'D': (0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C),
    'E': (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F),
    'F': (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10),
    'G': (0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F),
    'H': (0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    'I': (0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E),
    'J': (0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C),
    'K': (0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11),
    'L': (0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F),
    'M': (0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11),
    'N': (0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11),
    'O': (0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    'P': (0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10),
    'Q': (0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D),
    'R': (0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11),
    'S': (0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E),
    'T': (0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04),
    'U': (0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    'V': (0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04),
    'W': (0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A),
    'X': (0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11),
    'Y': (0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04),
    'Z': (0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F),
    '0': (0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E),
    '1': (0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E),
    '2': (0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F),
    '3': (0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E),
    '4': (0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02),
    '5': (0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E),
    '6': (0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E),
    '7': (0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08),
    '8': (0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E),
    '9': (0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C),
    ' ': (0, 0, 0, 0, 0, 0, 0),
    '.': (0, 0, 0, 0, 0, 0x0C, 0x0C),
    ',': (0, 0, 0, 0, 0x0C, 0x04, 0x08),
    ':': (0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0),
    '-': (0, 0, 0, 0x1F, 0, 0, 0),
    '_': (0, 0, 0, 0, 0, 0, 0x1F),
    '+': (0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0),
    '=': (0, 0, 0x1F, 0, 0x1F, 0, 0),
    '/': (0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10),
    '(': (0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02),
    ')': (0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08),
    '%': (0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03),
    '?': (0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04),
    '<': (0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02),
    '>': (0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08),
}

GLYPH_W, GLYPH_H = 5, 7


class Canvas:
    """An RGB image with rectangles and bitmap text."""

    def __init__(self, width, height, background=(255, 255, 255)):
        self.width, self.height = width, height
        self.rows = [bytearray(bytes(background) * width) for _ in range(height)]

    def fill_rect(self, x0, y0, x1, y1, color):
        x0, x1 = max(0, int(x0)), min(self.width, int(x1))
        y0, y1 = max(0, int(y0)), min(self.height, int(y1))
        if x0 >= x1:
            return
        span = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            self.rows[y][3 * x0:3 * x1] = span

    def text_width(self, text, scale=1):
        return len(text) * (GLYPH_W + 1) * scale

    def text(self, x, y, text, color=(0, 0, 0), scale=1):
        """Draws text with its top-left corner at (x, y)."""
        for ch in text.upper():
            rows = _FONT_ROWS.get(ch, _FONT_ROWS['?'])
            for ry, bits in enumerate(rows):
                for rx in range(GLYPH_W):
                    if bits & (0x10 >> rx):
                        self.fill_rect(x + rx * scale, y + ry * scale,
                                       x + (rx + 1) * scale, y + (ry + 1) * scale, color)
            x += (GLYPH_W + 1) * scale

    def png_bytes(self):
        raw = b''.join(b'\x00' + bytes(row) for row in self.rows)

        def chunk(kind, data):
            body = kind + data
            return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body))

        header = struct.pack('>IIBBBBB', self.width, self.height, 8, 2, 0, 0, 0)
        return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) +
                chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


PALETTE = [(214, 96, 40), (60, 120, 200), (90, 170, 90), (150, 90, 180), (200, 170, 40)]


def bar_chart(path, title, groups, series, values, reference=1.0, unit='x'):
    """Writes a horizontal grouped bar chart.

    groups: labels down the left side; series: names, one bar each per group;
    values[g][s]: number or None (drawn as "n/a"). A vertical line marks
    `reference`.
    """
    scale = 2
    char_w, line_h = (GLYPH_W + 1) * scale, (GLYPH_H + 3) * scale
    bar_h = 7 * scale
    group_h = bar_h * len(series) + 6 * scale
    label_w = max(len(g) for g in groups) * char_w + 12 * scale
    plot_w = 560
    top = 3 * line_h
    legend_h = 2 * line_h
    width = label_w + plot_w + 120
    height = top + group_h * len(groups) + 2 * line_h + legend_h
    c = Canvas(width, height)
    c.text(10, 8, title, scale=scale)

    finite = [v for row in values for v in row if v is not None]
    vmax = max(finite + [reference]) * 1.08
    x_of = lambda v: label_w + plot_w * v / vmax

    # Grid lines at round steps.
    step = next(s for s in (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100) if vmax / s <= 6)
    axis_y = top + group_h * len(groups)
    v = 0.0
    while v <= vmax:
        x = x_of(v)
        c.fill_rect(x, top - 4, x + 1, axis_y, (225, 225, 225))
        label = ('%g' % v) + unit
        c.text(x - c.text_width(label, scale) / 2, axis_y + 6, label, (80, 80, 80), scale)
        v += step
    ref_x = x_of(reference)
    c.fill_rect(ref_x, top - 4, ref_x + 2, axis_y, (0, 0, 0))  # under the bars and labels

    for gi, group in enumerate(groups):
        gy = top + gi * group_h
        c.text(10, gy + (group_h - GLYPH_H * scale) / 2 - 3, group, scale=scale)
        for si in range(len(series)):
            y = gy + si * bar_h + 2
            val = values[gi][si]
            if val is None:
                c.text(label_w + 4, y, 'n/a', (130, 130, 130), 1)
                continue
            c.fill_rect(label_w, y, x_of(val), y + bar_h - 2, PALETTE[si % len(PALETTE)])
            c.text(x_of(val) + 4, y, '%.2f' % val, (60, 60, 60), 1)
        c.fill_rect(label_w, gy + group_h - 2, label_w + plot_w, gy + group_h - 1, (240, 240, 240))
    c.fill_rect(label_w, axis_y, label_w + plot_w, axis_y + 1, (0, 0, 0))

    ly = axis_y + 2 * line_h
    lx = label_w
    for si, name in enumerate(series):
        c.fill_rect(lx, ly, lx + 8 * scale, ly + GLYPH_H * scale, PALETTE[si % len(PALETTE)])
        c.text(lx + 11 * scale, ly, name, scale=scale)
        lx += 11 * scale + c.text_width(name, scale) + 12 * scale
    with open(path, 'wb') as f:
        f.write(c.png_bytes())
