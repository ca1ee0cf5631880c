/**
 * Parameter sweeps: every combination of a grid backtested in floating point ({@code
 * SweepKernel}) in the background and ranked, with walk-forward folds.
 */
package dev.kapi.trading.sweep;
