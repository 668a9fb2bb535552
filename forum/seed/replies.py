"""Members' replies in the demo: short lived-experience texts that make no medical claim.

They tell how a member felt, what they asked, who they talked to and how they organised
themselves; none says what a symptom means, what a treatment does or what anyone should take.
The medical content of a demo thread comes only from the public reference texts.
"""

from __future__ import annotations

# Any community.
PEER_REPLIES = (
    "I had the same worry last year. Writing my questions down before the appointment "
    "helped me a lot, because I always forgot half of them in the room.",
    "Following this one: I would like to know too. Please let us know what your doctor says.",
    "That sounds hard, and you are not alone here. My pharmacist was easier to reach than my "
    "doctor and happy to go through my questions.",
    "When I was in a similar spot I asked for a longer appointment so there was time to talk "
    "it all through. It made a difference to how I felt afterwards.",
    "I kept a simple diary for a few weeks (what happened, when, what I was doing) and took "
    "it to my appointment. It made the conversation much easier.",
    "My care team told me to call them rather than wait when something changes. I was "
    "nervous about bothering them, but they were glad I did.",
    "I bring my partner to appointments now. Two pairs of ears remember more than one.",
    "Asking for a printed summary after each visit helped me. I read it again at home, "
    "when I was calmer.",
)
# Private support groups: about coping, not about medicine.
SUPPORT_GROUP_REPLIES = (
    "Thank you for sharing this here. Some weeks are heavier than others for me too; this "
    "group has been the place where I can say so.",
    "What helped me most was having one person I could ring on the bad days. Is there "
    "someone like that for you?",
    "I felt the same at the start. It took me a while to ask for help, and I am glad I did.",
    "Sending you strength. Take it one day at a time: that is what I tell myself.",
    "I found it useful to ask the nurse or social worker what support was available. There "
    "was more than I knew about.",
)
# What a member answering from experience says about a reference answer they found useful.
THANKS = (
    "Thank you, the source link is really useful.",
    "This is clearer than anything I found myself. Thank you.",
    "Thanks for posting the source, I will take it to my next appointment.",
)
