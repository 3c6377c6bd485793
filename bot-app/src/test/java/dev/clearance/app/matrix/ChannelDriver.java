package dev.clearance.app.matrix;

/** One channel's real entry point: tries an action as a persona and says whether the channel allowed or refused it. */
interface ChannelDriver {
    Channel channel();

    /**
     * Tries {@code action} on request {@code id} as {@code persona}. Asserts that the channel answered either with its
     * success or with its refusal (a 500, a 400, an empty answer is neither and fails the cell), and says which.
     */
    Answer attempt(Action action, Persona persona, String id);

    /**
     * @param evidence what the channel answered, for the failure message
     * @param mismatch when what the channel offers (a button, a form, a card action) disagrees with what it allowed,
     *                 why; asserted after the answer and the stored state, so that such a cell still proves both
     */
    record Answer(boolean allowed, String evidence, String mismatch) {
        static Answer allowed(String evidence) {
            return new Answer(true, evidence, null);
        }

        static Answer refused(String evidence) {
            return new Answer(false, evidence, null);
        }

        Answer withMismatch(String why) {
            return new Answer(allowed, evidence, why + ": " + evidence);
        }
    }
}
