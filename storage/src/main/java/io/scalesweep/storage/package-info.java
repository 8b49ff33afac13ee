/**
 * Object storage behind one small interface, {@link io.scalesweep.storage.ObjectStore}: {@code
 * s3://} (any S3-compatible endpoint) and {@code file://}, opened with {@link
 * io.scalesweep.storage.ObjectStores#open}. Used by the trainer for checkpoints, metrics and
 * results, and by the operator for the sweep catalog.
 */
package io.scalesweep.storage;
