// N-body gravity simulation in f64 (symplectic Euler, sqrt per pair).
#include <math.h>

#include "bench_common.h"

enum { BODIES = 5 };

typedef struct {
  double x, y, z, vx, vy, vz, mass;
} Body;

static Body bodies[BODIES];

static void setup(void) {
  // A heavy central body and four planets on rough orbits (units: AU, years).
  const double pi = 3.141592653589793, solar_mass = 4 * pi * pi, days = 365.24;
  static const double init[BODIES][7] = {
      {0, 0, 0, 0, 0, 0, 1},
      {4.84, -1.16, -0.10, 0.00166, 0.00770, -0.0000690, 0.000954},
      {8.34, 4.12, -0.40, -0.00277, 0.00500, 0.0000230, 0.000286},
      {12.89, -15.11, -0.22, 0.00296, 0.00237, -0.0000296, 0.0000437},
      {15.38, -25.92, 0.18, 0.00268, 0.00163, -0.0000951, 0.0000515},
  };
  for (int i = 0; i < BODIES; ++i) {
    Body* b = &bodies[i];
    b->x = init[i][0];
    b->y = init[i][1];
    b->z = init[i][2];
    b->vx = init[i][3] * days;
    b->vy = init[i][4] * days;
    b->vz = init[i][5] * days;
    b->mass = init[i][6] * solar_mass;
  }
  // Zero the total momentum by adjusting the central body.
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < BODIES; ++i) {
    px += bodies[i].vx * bodies[i].mass;
    py += bodies[i].vy * bodies[i].mass;
    pz += bodies[i].vz * bodies[i].mass;
  }
  bodies[0].vx = -px / solar_mass;
  bodies[0].vy = -py / solar_mass;
  bodies[0].vz = -pz / solar_mass;
}

static void advance(double dt) {
  for (int i = 0; i < BODIES; ++i) {
    Body* bi = &bodies[i];
    for (int j = i + 1; j < BODIES; ++j) {
      Body* bj = &bodies[j];
      double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      bi->vx -= dx * bj->mass * mag;
      bi->vy -= dy * bj->mass * mag;
      bi->vz -= dz * bj->mass * mag;
      bj->vx += dx * bi->mass * mag;
      bj->vy += dy * bi->mass * mag;
      bj->vz += dz * bi->mass * mag;
    }
  }
  for (int i = 0; i < BODIES; ++i) {
    bodies[i].x += dt * bodies[i].vx;
    bodies[i].y += dt * bodies[i].vy;
    bodies[i].z += dt * bodies[i].vz;
  }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < BODIES; ++i) {
    const Body* bi = &bodies[i];
    e += 0.5 * bi->mass * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
    for (int j = i + 1; j < BODIES; ++j) {
      const Body* bj = &bodies[j];
      double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
      e -= bi->mass * bj->mass / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t steps = bench_reps(6000000, bench_percent(argc, argv));
  setup();
  uint64_t sum = bench_mix(0, bench_f64_bits(energy()));
  for (uint32_t s = 0; s < steps; ++s) advance(0.01);
  sum = bench_mix(sum, bench_f64_bits(energy()));
  for (int i = 0; i < BODIES; ++i) sum = bench_mix(sum, bench_f64_bits(bodies[i].x));
  bench_report(sum, start);
  return 0;
}
