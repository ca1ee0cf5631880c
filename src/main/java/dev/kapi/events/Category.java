package dev.kapi.events;

/** A category as stored. */
record Category(int id, String name) {
}
