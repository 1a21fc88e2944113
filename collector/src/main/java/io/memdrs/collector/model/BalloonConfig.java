package io.memdrs.collector.model;

/**
 * The {@code <memballoon>} of a live domain XML, as far as stats are concerned.
 *
 * @param model the device model ("virtio", "virtio-transitional", "none", ...); null when the XML has no
 *              {@code <memballoon>} element at all
 * @param statsPeriodSeconds the {@code <stats period='N'/>} value; 0 when no period is set
 */
public record BalloonConfig(String model, int statsPeriodSeconds) {
    public static final BalloonConfig ABSENT = new BalloonConfig(null, 0);

    /** True when the domain has a balloon device that can report statistics (present and not model 'none'). */
    public boolean present() {
        return model != null && !"none".equals(model);
    }
}
