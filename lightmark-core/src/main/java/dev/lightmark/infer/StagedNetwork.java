package dev.lightmark.infer;

/**
 * A network that runs in stages and may stop early (the selective cascade): how many stages to
 * run, the predicted-error threshold at which a face leaves, and counters of what was run.
 */
public interface StagedNetwork {
    int stageCount();

    int runStages();

    void setRunStages(int stages);

    /** A face leaves at the first stage whose predicted NME is below this; 0 = never early. */
    float exitThreshold();

    void setExitThreshold(float threshold);

    void resetCounters();

    /** Mean number of stages run per face since the last reset. */
    double meanStagesRun();

    /** Mult-adds per face of running this many stages. */
    long multAdds(int stages);
}
