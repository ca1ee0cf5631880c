/**
 * The runner: every active bot once per closed candle across instances ({@code
 * BotRunner}, scheduled by {@code RunnerSchedule}), with its pending orders ({@code
 * Orders}).
 */
package dev.kapi.trading.runner;
