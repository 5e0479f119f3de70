// Input for the esbuild case: TypeScript with types, an enum and a class,
// bundled and minified.
export enum Kind { Circle, Square }

interface Shape { kind: Kind; size: number }

class Area {
  private total = 0;
  add(shape: Shape): this {
    this.total += shape.kind === Kind.Circle ? Math.PI * shape.size * shape.size : shape.size ** 2;
    return this;
  }
  get value(): number { return Math.round(this.total * 1000) / 1000; }
}

export function area(shapes: Shape[]): number {
  return shapes.reduce((a, s) => a.add(s), new Area()).value;
}

console.log(area([{ kind: Kind.Circle, size: 1 }, { kind: Kind.Square, size: 2 }]));
