package io.zonesync.zone;

/** Hands out stamps for local writes; each is newer than every stamp this node has issued or seen. */
public interface StampSource {
    Stamp next();

    /** Records a stamp received from a peer so later local stamps are newer (HLC receive rule). */
    void observe(Stamp remote);
}
