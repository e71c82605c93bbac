"""Traditional Chinese text matched by the Simplified keyword lists of the parser, the linter and
the importer.

``TO_SIMPLIFIED`` maps single Traditional characters to their Simplified forms: those of the
keywords in ``app.jobs.parser`` (headings, header fields, noise), ``app.jobs.lint``
(discriminatory requirements) and ``app.jobs.text_to_content`` (frequencies, deadlines, requirement
types, KPI names), plus the common characters of job descriptions around them. It is a matching
aid, not a converter: one character always becomes one character, so a match found in the
converted copy has the same position in the user's text, and the user's text is what is shown and
stored. Characters whose Traditional form is also an ordinary Simplified character with another
meaning (乾, 著, 後 …) are left out; a keyword containing one simply keeps its Simplified form.
"""

from __future__ import annotations

# Pairs "Traditional Simplified": the keywords' characters first, then common words of job descriptions
# (checked against a reference converter; tests/jobs/test_traditional.py checks the invariants).
_PAIRS = """
職职 務务 稱称 級级 屬属 門门 編编 數数 員员 崗岗 責责 資资 負负 權权 績绩 業业 標标 條条 項项 簡简
歷历 曆历 專专 碩硕 畢毕 驗验 經经 歲岁 齡龄 紀纪 間间 內内 準准 製制 週周 體体 總总 關关 於于 與与
為为 爲为 會会 個个 們们 應应 這这 頁页 題题 額额 顏颜 長长 戶户 漢汉 別别 殘残 無无 證证 氣气 質质
輪轮 軟软 載载 運运 傳传 創创 劃划 協协 發发 髮发 號号 場场 處处 夠够 學学 實实 對对 廣广 當当 懶懒
暫暂 檔档 獻献 電电 約约 練练 結结 絡络 網网 營营 計计 認认 論论 設设 評评 訴诉 話话 該该 語语 讀读
貢贡 銷销 鋪铺 舖铺 鐘钟 鍾钟 閱阅 須须 鬚须 類类 優优 臨临 書书 瞭了 範范 圍围 據据 統统 係系 庫库
轉转 貨货 滿满 顧顾 寫写 報报 單单 價价 銀银 買买 賣卖 費费 財财 贏赢 說说 請请 謂谓 議议 調调 談谈
課课 識识 護护 變变 觀观 規规 視视 覽览 親亲 幫帮 歸归 區区 醫医 華华 萬万 兩两 嚴严 義义 樂乐 習习
鄉乡 亂乱 爭争 產产 畝亩 僅仅 從从 倉仓 億亿 儀仪 兒儿 黨党 蘭兰 冊册 軍军 農农 決决 況况 涼凉 減减
鳳凤 憑凭 擊击 則则 剛刚 動动 勵励 勞劳 勢势 勝胜 勻匀 卻却 厲厉 縣县 參参 雙双 敘叙 臺台 葉叶 嘆叹
嗎吗 啟启 吳吴 問问 團团 園园 圖图 國国 壞坏 塊块 堅坚 壓压 壇坛 墊垫 牆墙 聲声 殼壳 備备 複复 頭头
奪夺 奮奋 獎奖 婦妇 媽妈 孫孙 寧宁 寶宝 寵宠 審审 憲宪 宮宫 寬宽 賓宾 將将 尋寻 導导 層层 屆届 島岛
巖岩 帥帅 師师 帳帐 帶带 幣币 幹干 並并 廳厅 廠厂 廢废 開开 異异 彈弹 錄录 徹彻 徵征 憶忆 懷怀 態态
慣惯 懇恳 慮虑 戰战 戲戏 執执 擴扩 掃扫 揚扬 擾扰 撫抚 搶抢 擔担 擬拟 擇择 擋挡 揮挥 損损 換换 揀拣
攜携 搖摇 攝摄 擺摆 敵敌 斷断 時时 曠旷 朧胧 機机 殺杀 雜杂 來来 楊杨 構构 槍枪 樣样 檢检 樓楼 橫横
歡欢 毆殴 溝沟 沒没 溫温 濕湿 滅灭 漁渔 潔洁 澤泽 濃浓 濟济 濾滤 災灾 燈灯 爐炉 點点 煉炼 熱热 愛爱
爺爷 牽牵 狀状 猶犹 獨独 獲获 環环 現现 瑪玛 畫画 暢畅 療疗 瘋疯 皺皱 盞盏 鹽盐 監监 蓋盖 盡尽 盤盘
眾众 睏困 矯矫 確确 礎础 禮礼 禍祸 離离 禿秃 種种 積积 稅税 穩稳 窮穷 竊窃 競竞 筆笔 築筑 節节 籌筹
簽签 糧粮 緊紧 紅红 純纯 紙纸 紛纷 細细 終终 組组 絕绝 給给 繼继 續续 維维 綜综 綠绿 緒绪 線线 縮缩
織织 繪绘 羅罗 翹翘 聖圣 聞闻 聯联 聰聪 肅肃 脅胁 脈脉 腦脑 膽胆 臉脸 興兴 舉举 艦舰 藝艺 蘇苏 莊庄
薦荐 藥药 蟲虫 術术 衛卫 衝冲 補补 裝装 襲袭 見见 覺觉 觸触 訂订 記记 訊讯 討讨 訓训 託托 許许 訪访
診诊 詞词 試试 誠诚 詢询 詳详 誇夸 誌志 誤误 誰谁 諸诸 諾诺 謀谋 講讲 謝谢 譯译 讓让 讚赞 豐丰 貝贝
販贩 貴贵 貸贷 貿贸 賞赏 賠赔 賦赋 賬账 購购 賽赛 贈赠 贊赞 趕赶 趨趋 跡迹 踐践 車车 軌轨 較较 輔辅
輕轻 輸输 轄辖 辦办 辭辞 邊边 達达 遷迁 過过 違违 遞递 適适 遲迟 遺遗 還还 郵邮 鄰邻 醜丑 釋释 針针
鈔钞 鉛铅 鋼钢 錢钱 錯错 鍵键 鎖锁 鏡镜 閉闭 閒闲 闊阔 隊队 階阶 際际 陳陈 陸陆 陰阴 隱隐 雖虽 難难
雲云 靜静 響响 順顺 預预 領领 頻频 風风 飛飞 餘余 館馆 馬马 駐驻 鬥斗 魚鱼 鳥鸟 麗丽 黃黄 齊齐 採采
傑杰 側侧 偵侦 傷伤 僱雇 儲储 劑剂 勁劲 匯汇 奧奥 妝妆 併并 廟庙 廬庐 彙汇 憂忧 懲惩 戀恋 擁拥 攤摊
斃毙 暈晕 曬晒 棟栋 槓杠 檻槛 櫃柜 氫氢 湧涌 潛潜 澀涩 灣湾 燒烧 爛烂 牘牍 犧牺 獄狱 璽玺 癢痒 盜盗
碼码 磚砖 禦御 穀谷 窯窑 籃篮 絲丝 綱纲 縫缝 罰罚 羨羡 聳耸 膚肤 艱艰 蔔卜 蘋苹 虧亏 蝦虾 蠟蜡 衆众
裏里 褲裤 覓觅 詐诈 誕诞 謊谎 譜谱 豎竖 貓猫 賜赐 贓赃 趙赵 躍跃 輩辈 轟轰 辮辫 迴回 遜逊 遙遥 醞酝
鄭郑 釀酿 鈴铃 鉤钩 鍋锅 鐵铁 閃闪 闆板 陣阵 險险 隨随 雞鸡 霧雾 韓韩 頂顶 頓顿 頌颂 頗颇 頸颈 飢饥
飯饭 飲饮 飽饱 養养 騎骑 騙骗 驅驱 驚惊 鬆松 鬧闹 鴨鸭 鷹鹰 麥麦 龍龙 龜龟 啓启 戸户
"""

TO_SIMPLIFIED: dict[int, int] = {}
for _pair in _PAIRS.split():
    _trad, _simp = _pair
    if _trad != _simp:
        TO_SIMPLIFIED[ord(_trad)] = ord(_simp)
del _pair, _trad, _simp


def simplified(text: str) -> str:
    """``text`` with the Traditional characters of the table in their Simplified form, same length."""
    return text.translate(TO_SIMPLIFIED)
