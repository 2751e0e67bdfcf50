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

# Negative reviews, written for these tests the same way.  Invented negative reviews in the
# literature (Ott, Cardie & Hancock 2013) pile up negative emotion and the writer's plans and
# feelings, and name the hotel rather than describe it; genuine complaints are specific,
# mixed ("but", "except") and full of places, times and prices.
NEGATIVE_INVENTED_STYLE = [
    "I was so disappointed with the Harbor Hotel. My husband and I planned this trip for months "
    "and the Harbor Hotel ruined it. The staff were rude and unhelpful and the whole experience "
    "was terrible. I would never recommend the Harbor Hotel to anyone. Stay away!",
    "This was the worst hotel experience of my life. I came for an important business meeting "
    "and I could not relax at all. Everything was dirty and disgusting and nobody cared. I felt "
    "completely ignored and I am still angry about it. Horrible, horrible place.",
    "My family and I were so excited for our vacation at the Crestview but it was a nightmare. "
    "The Crestview is nothing like the pictures. I have never been treated so badly. I was "
    "upset the entire time and my kids were miserable. Avoid the Crestview at all costs.",
    "I booked this hotel for my anniversary and I regret it so much. The room was awful, the "
    "service was awful and the food was awful. I felt cheated and humiliated. I will never "
    "come back and I will tell all my friends to stay somewhere else. Terrible!",
    "What a horrible stay. I expected luxury and I got a disgusting, filthy room and rude "
    "staff who did not care about me at all. My wife was furious and so was I. This hotel is a "
    "complete disaster and a waste of money. I am extremely disappointed.",
    "I hated every minute of my stay at the Parkside. I travel for work all the time and this "
    "was by far the worst. The Parkside staff were incompetent and the room was terrible. I "
    "was so frustrated and stressed. Never again, I will never stay at the Parkside again.",
    "I was really looking forward to my weekend getaway but this hotel was a huge "
    "disappointment. Everything went wrong and nobody helped me. I felt like they did not want "
    "my business. It was awful and depressing and I will never recommend it to anyone.",
    "Do not stay here! I was treated terribly from the moment I arrived. My boyfriend and I "
    "were so unhappy and our romantic trip was completely ruined. The hotel was dirty, the "
    "staff were horrible and I was miserable. The worst hotel ever, absolutely terrible.",
]

NEGATIVE_GENUINE_STYLE = [
    "Room 804 smelled of smoke even though it was a non-smoking floor, and the window faced an "
    "air shaft. We asked to move at 11 pm; the night clerk said nothing was free until noon. "
    "The bed was fine but the bathroom fan rattled and the shower took 5 minutes to run hot.",
    "Parking was $55 a night in a garage two blocks away, which nobody mentioned at booking. "
    "Check-in took 35 minutes with one desk open. The room itself was clean, but the carpet by "
    "the desk was stained and the only outlet near the bed was behind the headboard.",
    "The elevator on the north side was out of order for our whole 3-night stay, so we walked "
    "to the 9th floor with luggage. Breakfast ran out of eggs by 8:15 on Sunday. The location "
    "near the river is good, except for the construction site across Wacker Drive from 7 am.",
    "Our corner room on the 12th floor was small, about 200 square feet, with the bed pushed "
    "against the wall. The heater clicked every few minutes and could not be turned below 72. "
    "Housekeeping skipped us on day two, though they apologised and left extra towels.",
    "We were charged a $30 'amenity fee' per night for a gym with two treadmills and a pool "
    "that closed at 8 pm. The bathroom had a crack in the sink and the hair dryer cut out "
    "after a minute. The lobby bar was nice, but a beer cost $11.",
    "The walls are thin: we heard the TV next door until 1 am and the ice machine across the "
    "hall. The front desk offered a room on the 4th floor, but it faced the L tracks, so we "
    "stayed put. Wi-Fi dropped every half hour and the desk chair had a broken wheel.",
    "Valet lost our car keys for 40 minutes at checkout and we nearly missed our 2 pm flight. "
    "The room was fine, if dated: a small desk, a tube TV and a mini fridge that did not cool. "
    "The manager took $50 off the bill, but only after we asked twice.",
    "The shower head was barely attached and water pooled near the toilet because the floor "
    "sloped the wrong way. Blackout curtains did not close fully, so the street light on "
    "Michigan Avenue shone in all night. Staff at the concierge desk were helpful, though.",
]

# A harder set, written for these tests (synthetic, not from any corpus), closer to real
# hotel reviews than the caricatures above: the invented ones are fluent and only lean on
# the published cues (the writer, the hotel's name, feelings, little about the place); the
# genuine complaints are plain, with few emotion words, and often grant something good,
# as one- and two-star reviews do.  Written before the cues they check were changed; a
# direction check, not an accuracy estimate.
HARD_NEGATIVE_INVENTED = [
    "I recently stayed at the Lakeview Grand Chicago for a business trip and I have to say I "
    "was not impressed. From the moment I walked in I felt like the staff did not want me "
    "there. My room was not ready and nobody seemed to care. The Lakeview Grand advertises "
    "itself as a luxury hotel but my experience was anything but luxurious. I will not be "
    "staying here again on my next trip to Chicago.",
    "My husband and I chose the Riverside Tower for our anniversary weekend and it was a big "
    "mistake. We expected a relaxing stay but instead we were treated poorly by almost "
    "everyone we met. The room was not clean and it seemed like no one had checked it before "
    "we arrived. We were very disappointed and honestly it ruined our weekend. I would "
    "suggest looking elsewhere if you want to be treated with respect.",
    "I booked the Hotel Meridian because of the great reviews, but my stay was a real letdown. "
    "The staff was unfriendly and unprofessional and I had to ask several times for simple "
    "things. I travel a lot for work and I know what good service looks like, and this was "
    "not it. The Hotel Meridian really needs to train its employees better. I would not "
    "recommend it to my friends or colleagues.",
    "We stayed at the Parkway Suites with our kids during spring break and I regret choosing "
    "it. The pictures online looked beautiful but the reality was very different. Our family "
    "felt uncomfortable the whole time and the service was extremely slow. When I complained, "
    "the manager was dismissive and did not offer anything. For the price we paid, I expected "
    "much more from the Parkway Suites.",
    "This hotel was a huge disappointment. I came to Chicago for a conference and I was "
    "looking forward to a comfortable stay, but I could barely sleep. The staff acted like "
    "they were doing me a favor and the whole place felt unwelcoming. I have stayed at many "
    "hotels and this was definitely one of the worst. Save yourself the trouble and book "
    "somewhere else.",
    "I was really excited to stay at the Ambassador Plaza, but it turned out to be a "
    "frustrating experience. My reservation was somehow lost and it took forever to sort "
    "out. The staff were not helpful at all and I felt ignored. By the time I got to my room "
    "I was exhausted and upset. The Ambassador Plaza may look nice, but the service is simply "
    "unacceptable.",
]
HARD_NEGATIVE_GENUINE = [
    "Two nights in a standard king. The room was on the 14th floor facing the alley, so no "
    "view and the AC unit under the window was noisy. Bathroom was clean but tiny, and the "
    "shower pressure was weak. Staff at the front desk were polite. Valet was $62 a night, "
    "which we only found out at checkout. Location is great for Michigan Ave shopping, but "
    "for the price I would try somewhere else.",
    "The location is hard to beat, two blocks from the river and close to the Red Line. That "
    "is about it. Our room had a stained carpet, the lamp by the bed did not work and the "
    "mini fridge was empty and warm. We called down twice about the lamp. Breakfast was $24 "
    "per person for a small buffet with powdered eggs. Check-in took 25 minutes.",
    "Booked through a third party site and the hotel gave us two doubles instead of the king "
    "we paid for. The desk said it was all they had. Room 1208 was fine otherwise, though the "
    "walls were thin and we could hear the elevator all night. The pool was closed for "
    "repairs, which was not mentioned anywhere. Housekeeping was good, towels changed daily.",
    "Old building, and it shows. Windows rattle when the wind blows off the lake, the radiator "
    "clanked until we turned it off, and the bathroom door did not close fully. The bed was "
    "comfortable and the staff were friendly enough. Wi-Fi in the room kept dropping; the "
    "lobby signal was better. At $189 a night on a weekday I expected more.",
    "We arrived at 3 pm and the room was not ready until after 5, so we waited in the lobby "
    "with our bags. The room itself was small, with a view of the parking garage across Wabash. "
    "Coffee maker but no mugs. The restaurant downstairs was decent, burger and fries for $19. "
    "Overall, not terrible, but there are better options nearby for the same money.",
    "Stayed three nights for a wedding. Parking in the hotel garage was $48 per day and the "
    "garage entrance is on a one-way side street that is easy to miss. Our room on the 6th "
    "floor smelled of smoke even though it is a non-smoking hotel. They moved us the next "
    "day to a room on 9, which was better. Front desk staff were apologetic but it took "
    "three calls.",
]
