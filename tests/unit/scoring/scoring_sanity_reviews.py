"""Self-written reviews for direction checks of the invented-review cues.

Written for these tests (not taken from any corpus).  The "invented" ones imitate what the
deception literature describes: vague, superlative, first person, about the writer's
circumstances, brand name repeated.  The "genuine" ones give concrete, mixed detail.
This is a sanity check of direction, not an accuracy estimate.
"""

INVENTED_STYLE = [
    "My husband and I stayed at the Grandview Hotel for our anniversary and it was the most "
    "amazing experience of my life! The Grandview is absolutely perfect in every way. I will "
    "definitely be coming back to the Grandview with my family. I highly recommend it to "
    "everyone!",
    "I went to Chicago on a business trip and I chose the Lakeside Hotel. I was so happy with "
    "my stay! The staff were incredibly friendly and the rooms were luxurious. It was the best "
    "hotel I have ever stayed in. I can't wait to visit again!",
    "This is the best blender I have ever owned! I absolutely love it and my whole family loves "
    "it too. The Blendmax is truly amazing and I would recommend the Blendmax to anyone. "
    "Five stars, I am so glad I bought it!",
    "I was extremely disappointed with my stay. It was the worst experience of my life and I "
    "will never go back. My wife and I were on vacation and the whole trip was ruined. The staff "
    "were horrible and I would never recommend this awful hotel to anyone!",
    "What a wonderful experience! I booked this for my daughter's birthday and everything was "
    "perfect. I felt so welcome and I loved every minute. It was truly unforgettable and I "
    "will definitely be back. Absolutely fantastic!",
    "I needed a relaxing getaway and the Palm Resort was exactly what I was looking for. I "
    "enjoyed every moment of my stay at the Palm Resort. The service was outstanding and I felt "
    "like royalty. I would give the Palm Resort ten stars if I could!",
    "I am so happy I found this company! They were amazing from start to finish and I could "
    "not be more satisfied. My husband agrees it was the best decision we ever made. I "
    "recommend them to all my friends and family!",
    "Terrible, terrible, terrible! I have never been so disappointed in my life. I came for a "
    "business conference and I was treated horribly. Everything about my stay was a nightmare "
    "and I will tell everyone I know to avoid this place!",
    "I love this app so much! It has completely changed my life and I use it every single day. "
    "It is perfect for someone like me and I honestly can't imagine my life without it. Best "
    "app ever, I recommend it to everyone!",
    "My boyfriend surprised me with a weekend at the Royal Inn and it was a dream come true! I "
    "felt so pampered and I loved everything about the Royal Inn. It was the most romantic "
    "trip of my life and I will never forget it!",
]

GENUINE_STYLE = [
    "Room 1412 faced the river; the window didn't open but the view was worth it. The bathroom "
    "was small, with a shower over the tub and weak water pressure. Breakfast ($18) was a "
    "standard buffet. The Red Line station is a 5-minute walk north on State Street.",
    "Check-in took about 20 minutes because only one desk was open. The room was on the 3rd "
    "floor next to the ice machine, which rattled all night. The bed was firm, the carpet a bit "
    "worn near the door. Parking in the garage across the street cost $42 per night.",
    "The blender handles frozen fruit fine at the highest of its 3 speeds, but the 1.5-litre "
    "jar leaks at the base if you overfill it past the 1.2 line. The motor is loud, around the "
    "level of a hair dryer. After 8 months the blade assembly is still sharp.",
    "We used their payroll module for 14 employees across two states. Setup took a week, mostly "
    "waiting for the bank to verify the account. Tax filings have been on time every quarter, "
    "though the PDF reports are cramped and the export to Excel drops the cost-centre column.",
    "The lobby is under renovation until May, so the entrance is through the side door on Oak "
    "Avenue. Our corner room had two queen beds, a desk, and a mini fridge, but no microwave. "
    "Housekeeping came around 2 pm each day. Street noise from the bars died down after midnight.",
    "Delivery took 9 days instead of the promised 5. The sofa arrived in three boxes; assembly "
    "took two of us about 90 minutes with the included hex key. The grey fabric is softer than "
    "in the photos and the left cushion already sags slightly after a month.",
    "Support answered my ticket in 2 hours and walked me through resetting the router's DNS "
    "settings. Speeds went from 40 to 280 Mbps on the 300 plan. The modem sits in the hallway "
    "closet, so the signal in the back bedroom is weaker, around 90 Mbps.",
    "The pool on the 6th floor is small (about 10 metres) and closes at 9 pm. The gym has two "
    "treadmills, one bike and free weights up to 25 kg. Rooms on the east side get morning sun "
    "and the blackout curtains leave a gap at the top.",
    "I switched from the old version after the price went up by 30%. Import of 2,400 contacts "
    "worked first time, but custom fields had to be mapped by hand. Sync with the calendar lags "
    "by a few minutes, and the Android widget does not show recurring events.",
    "Our table by the kitchen door was drafty. The lamb shoulder was tender but under-salted, "
    "the side of roasted carrots came cold, and dessert took 25 minutes. The bill for two with "
    "a bottle of house red came to 96 euros, service included.",
]
