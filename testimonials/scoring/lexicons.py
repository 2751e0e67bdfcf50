"""Small hand-written word lists used by the scoring features.

All lists are written for this project (no third-party lexicon is copied).  They describe
customer reviews and testimonials, not tweets.  Words are lower case with plain apostrophes.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Function words: a word outside this list is a content word.
FUNCTION_WORDS = _words("""
a an the and or but nor so yet for of to in on at by with from into onto upon about above
below over under after before during since until till than then there here this that these
those it its it's itself i me my mine myself we us our ours ourselves you your yours yourself
he him his himself she her hers herself they them their theirs themselves what which who whom
whose when where why how all any both each few more most other some such no not only own same
too very can will just don't should now is are was were be been being have has had having do
does did doing would could might must shall may am i'm i've i'd i'll you're we're they're
he's she's that's there's what's isn't aren't wasn't weren't hasn't haven't hadn't doesn't
didn't won't wouldn't can't cannot couldn't shouldn't let's also as if because while though
although whether again once off out up down through against between among per via just even
still ever really quite rather get got gets one's ok okay oh yes yeah well lol
""")

FIRST_PERSON_SINGULAR = _words("i me my mine myself i'm i've i'd i'll im ive")
FIRST_PERSON_PLURAL = _words("we us our ours ourselves we're we've we'd we'll")
SECOND_PERSON = _words("you your yours yourself yourselves you're you've you'll you'd u ur")

# Praise that could be said of anything: the opposite of a specific testimonial.
GENERIC_PRAISE = _words("""
great good amazing awesome excellent fantastic wonderful perfect best love loved lovely nice
incredible outstanding superb brilliant terrific fabulous phenomenal exceptional magnificent
stellar impressive beautiful happy glad pleased satisfied recommend recommended highly super
cool top quality service experience product thanks thank definitely absolutely totally
everything anything fine solid recommendable five-star 5-star stars
""")

PREPOSITIONS = _words("""
in on at from into onto near behind across through between among around over under above
below after before during since until via per inside outside along beside toward towards
""")

# Words that point at something without naming it.
VAGUE_REFERENCES = _words("""
it it's this that these those thing things stuff something everything anything everyone
someone somebody whatever lot lots
""")

HEDGES = _words("""
maybe perhaps probably possibly somewhat kinda sorta seems seemed seem guess suppose think
thought apparently might may could fairly pretty rather sort kind bit little somehow
""")

NUMBER_WORDS = _words("""
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred hundreds thousand thousands million millions dozen dozens half quarter twice
first second third fourth fifth
""")

TIME_UNITS = _words("""
second seconds minute minutes min mins hour hours hr hrs day days week weeks month months
year years yr yrs decade decades night nights morning evening afternoon weekend weekends
monday tuesday wednesday thursday friday saturday sunday january february march april june
july august september october november december yesterday today tonight tomorrow
""")

MONEY_WORDS = _words("dollar dollars bucks cents euro euros pound pounds usd eur gbp price")

# Concrete spatial and sensory vocabulary (Ott et al. 2011 found truthful reviews richer in
# spatial detail: floor, bathroom, location, small ...).
CONCRETE_DETAIL = _words("""
room rooms floor floors bathroom bathrooms shower tub sink toilet bed beds pillow pillows
sheets towel towels lobby elevator elevators hallway door doors window windows wall walls
view street streets block blocks corner avenue downtown station parking garage lot desk
counter kitchen table chair chairs couch carpet ceiling closet balcony pool gym breakfast
bar restaurant menu dish dishes plate coffee tea water noise noisy loud quiet smell smelled
small tiny large big huge narrow wide cramped spacious clean dirty stained broken cold hot
warm temperature size weight battery screen button buttons cable charger box package strap
handle lid zipper fabric leather plastic metal wood glass color colour inch inches cm mm
feet foot meter meters miles mile km kg lbs ounce ounces oz liter litre gallon blocks walk
walked walking drive drove minutes left right next across behind near inside outside upstairs
downstairs front back side top bottom north south east west
""")

# References to the reviewer's own circumstances, typical of invented reviews (Ott et al.
# 2011: husband, business, vacation, family; Yoo & Gretzel 2009).
CIRCUMSTANCES = _words("""
husband wife family kids children son daughter boyfriend girlfriend fiance fiancee mom dad
mother father parents friends vacation holiday honeymoon anniversary birthday wedding trip
business conference weekend getaway celebrate celebrated celebrating occasion spouse partner
""")

# Exaggerated affect: superlatives and intensifiers (Ott et al. 2011, 2013; Li et al. 2014).
SUPERLATIVES = _words("""
best worst most least greatest finest nicest worst-ever amazing incredible unbelievable
perfect perfectly absolutely totally completely extremely incredibly truly highly
ever never always everything nothing everyone horrible terrible awful disgusting horrendous
fantastic wonderful outstanding exceptional phenomenal magnificent spectacular luxurious
luxury elegant gorgeous stunning dream unforgettable disappointing disappointed nightmare
""")

# Negative emotion words: invented negative reviews over-produce them (Ott, Cardie & Hancock
# 2013; Newman et al. 2003 found the same for lies in general).
NEGATIVE_EMOTION = _words("""
angry furious upset annoyed frustrated frustrating disappointed disappointing disappointment
miserable unhappy sad depressed depressing hated hate horrible horribly terrible terribly
awful disgusting disgusted filthy nightmare ruined ruin rude insulted humiliated cheated
stressed stressful worried afraid scared shocked appalled outraged regret regretted
unacceptable pathetic dreadful worst upsetting embarrassed embarrassing
""")

# Exclusive words mark the weighing of details that truthful accounts contain (Newman et
# al. 2003): "but", "except", "though".
EXCLUSIVE = _words("but except though although however whereas unless besides apart")

# Spatial detail in the narrow sense Ott et al. (2011, 2013) found in truthful reviews of
# both polarities: where things are, how big, which floor.
SPATIAL = _words("""
floor floors bathroom location block blocks street streets corner elevator elevators lobby
hallway window windows view upstairs downstairs north south east west across behind next
small tiny large narrow wide cramped spacious square feet foot metres meters inch inches
""")

# Sentiment lexicon for rating/text mismatch; values in [-3, 3].  Kept small and precise:
# words that almost always carry their polarity in a review.
SENTIMENT: dict[str, float] = {
    **dict.fromkeys(
        _words("""love loved loving lovely amazing awesome excellent fantastic wonderful
        perfect perfectly outstanding superb brilliant terrific fabulous phenomenal exceptional
        magnificent incredible stellar flawless delighted delightful thrilled best"""),
        2.5,
    ),
    **dict.fromkeys(
        _words("""great good nice happy glad pleased satisfied recommend recommended
        helpful friendly beautiful impressive impressed enjoy enjoyed comfortable clean easy
        fast quick reliable worth thanks thank favorite favourite pleasant smooth solid
        professional efficient convenient responsive"""),
        1.5,
    ),
    **dict.fromkeys(
        _words("""hate hated horrible terrible awful worst disgusting useless scam
        pathetic appalling atrocious dreadful nightmare rude garbage trash"""),
        -2.5,
    ),
    **dict.fromkeys(
        _words("""bad poor disappointed disappointing disappointment broken dirty slow
        unhelpful unfriendly annoying annoyed frustrating frustrated problem problems issue
        issues refund complaint complain waste wasted never avoid expensive overpriced
        cheap mediocre noisy uncomfortable defective faulty late unacceptable sadly
        unfortunately regret"""),
        -1.5,
    ),
}
NEGATIONS = _words(
    "not no never don't doesn't didn't isn't wasn't aren't weren't won't wouldn't can't "
    "cannot couldn't hardly barely without nothing nor"
)

# Spam: promotional calls to action.
PROMO_PHRASES = (
    "use code",
    "use my code",
    "promo code",
    "coupon code",
    "discount code",
    "referral link",
    "affiliate link",
    "click here",
    "click the link",
    "link in bio",
    "buy now",
    "order now",
    "limited time",
    "free shipping",
    "% off",
    "dm me",
    "whatsapp me",
    "message me on whatsapp",
    "telegram me",
    "visit my",
    "check out my",
    "follow me",
    "subscribe to my",
)

# Incentive or sponsorship disclosures (FTC-style wording).
INCENTIVE_PHRASES = (
    "in exchange for",
    "received this product",
    "received the product",
    "received it free",
    "received a free",
    "received this for free",
    "received for free",
    "got this for free",
    "got it for free",
    "free of charge",
    "for free in exchange",
    "discounted price in exchange",
    "at a discount in exchange",
    "sponsored",
    "#ad",
    "#sponsored",
    "paid partnership",
    "gift card",
    "giftcard",
    "was compensated",
    "were compensated",
    "compensation for",
    "paid to review",
    "paid for this review",
    "provided by the company",
    "provided by the brand",
    "sent to me by",
    "sent me this",
    "for my honest review",
    "for an honest review",
    "for my unbiased review",
    "for an unbiased review",
    "review sample",
    "vine voice",
    "free sample",
    "in return for a review",
)
